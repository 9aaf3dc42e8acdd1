#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The command line itself: --help and -h everywhere, --version, options
before or after the command, "did you mean", usage errors (exit 2), and the
settings: flags over environment over the config file, which must be private."""
import os
import re
import stat

import clitest
from clitest import CliTest, run


class Help(CliTest):
    def test_help_everywhere(self):
        main = self.ok("--help").out
        for cmd in ("upload", "download", "me", "quota", "spaces list", "spaces delete",
                    "folders stats", "files resolve", "files download-url", "shares revoke",
                    "purge", "import", "config set", "completion", "manpage"):
            self.assertIn(cmd, main)
        self.assertEqual(self.ok("-h").out, main)
        self.assertEqual(self.ok("help").out, main)
        # Every command and subcommand, both spellings, before or after.
        for words in (["upload"], ["download"], ["me"], ["spaces", "list"],
                      ["spaces", "delete"], ["files", "download-url"], ["purge"],
                      ["config", "set"], ["completion"]):
            for flag in ("--help", "-h"):
                out = self.ok(*words, flag).out
                self.assertIn("usage: fluidcloud " + " ".join(words), out)
            self.assertEqual(self.ok("--help", *words).out, self.ok(*words, "--help").out)
            self.assertEqual(self.ok("help", *words).out, self.ok(*words, "--help").out)
        up = self.ok("upload", "--help").out
        for opt in ("--public", "--expires", "--no-wait", "--resume", "--client-key"):
            self.assertIn(opt, up)
        # A group's help lists its subcommands.
        sp = self.ok("spaces", "--help").out
        for sub in ("list", "create", "get", "rename", "delete"):
            self.assertIn(sub, sp)

    def test_help_lists_exit_codes(self):
        out = self.ok("--help").out
        codes = out[out.index("exit codes:"):]
        for code in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 130):
            self.assertRegex(codes, rf"(?m)^\s+{code}\s+\S")

    def test_version(self):
        for args in (["--version"], ["me", "--version"]):
            r = self.ok(*args)
            self.assertRegex(r.out, r"^fluidcloud (\d+\.\d+\.\d+) \(fluidcloud-c \1, mbed TLS ")

    def test_verbose(self):
        r = self.ok("-v", "me")
        self.assertIn("[verbose] base URL " + os.environ["FLUIDCLOUD_BASE_URL"], r.err)
        self.assertIn("(from the environment)", r.err)
        self.assertRegex(r.err, r"\[verbose\] API key fck_live_\.\.\.[0-9a-f]{4} ")
        self.assertNotIn(clitest.KEY, r.err)
        quiet = self.ok("me")
        self.assertEqual(quiet.err, "")
        # The library's own log lines, when the build compiles them in (host
        # builds: level 4; the tool says which).
        level = int(re.search(r"library log level (\d)", self.ok("--version").out).group(1))
        if level >= 3:
            self.assertIn("[verbose] library info:", r.err)
        else:
            self.assertNotIn("[verbose] library", r.err)

    def test_no_command_is_usage(self):
        r = self.fails(2)
        self.assertIn("usage: fluidcloud", r.err)
        self.assertEqual(r.out, "")


class Options(CliTest):
    def test_global_options_before_or_after(self):
        a = self.ok("--json", "me").json()
        b = self.ok("me", "--json").json()
        self.assertEqual(a, b)
        self.assertTrue(a["tenant_id"])
        c = self.ok("spaces", "--json", "list").json()
        self.assertEqual(c["items"][0]["name"], "My files")

    def test_value_forms(self):
        s = self.ok("spaces", "create", "opt forms", "--json").json()
        self.addCleanup(run, "spaces", "delete", s["id"], "--yes")
        for args in (["folders", "list", "--space", s["id"], "--json"],
                     ["folders", "list", f"--space={s['id']}", "--json"],
                     ["--space", s["id"], "folders", "list", "--json"]):
            self.assertEqual(self.ok(*args).json()["count"], 0)
        # "--" ends the options: a name that starts with a dash.
        f = self.ok("folders", "create", "--space", s["id"], "--json", "--", "-dash").json()
        self.assertEqual(f["name"], "-dash")

    def test_did_you_mean(self):
        r = self.fails(2, "spaces", "lst")
        self.assertIn("did you mean 'spaces list'", r.err)
        r = self.fails(2, "spcaes", "list")
        self.assertIn("did you mean 'spaces'", r.err)
        r = self.fails(2, "me", "--jsn")
        self.assertIn("did you mean '--json'", r.err)
        r = self.fails(2, "uplod", "x")
        self.assertIn("did you mean 'upload'", r.err)
        r = self.fails(2, "frobnicate")
        self.assertNotIn("did you mean", r.err)

    def test_usage_errors(self):
        self.assertIn("not an option of 'spaces list'",
                      self.fails(2, "spaces", "list", "--public").err)
        self.assertIn("missing argument", self.fails(2, "spaces", "get").err)
        self.assertIn("too many arguments", self.fails(2, "spaces", "get", "a", "b").err)
        self.assertIn("wants a number", self.fails(2, "spaces", "list", "--limit", "ten").err)
        self.assertIn("needs a value", self.fails(2, "files", "list", "--space").err)
        self.assertIn("needs a subcommand", self.fails(2, "spaces").err)
        self.fails(2, "spaces", "list", "--limit", "500")
        self.fails(2, "spaces", "list", "--limit", "0")
        self.fails(2, "shares", "create", "x", "--days", "0")
        self.fails(2, "shares", "create", "x", "--permission", "edit")
        self.fails(2, "purge")
        self.fails(2, "purge", "x", "--trash")


class Settings(CliTest):
    def config_file(self):
        return os.path.join(clitest.ENV["XDG_CONFIG_HOME"], "fluidcloud", "config")

    def tearDown(self):
        super().tearDown()
        try:
            os.unlink(self.config_file())
        except FileNotFoundError:
            pass

    def test_flags_over_env(self):
        env = {"FLUIDCLOUD_BASE_URL": None, "FLUIDCLOUD_API_KEY": None,
               "FLUIDCLOUD_CA_FILE": None}
        r = self.fails(3, "me", env=env)
        self.assertIn("no API key", r.err)
        me = self.ok("me", "--json", "--base-url", os.environ["FLUIDCLOUD_BASE_URL"],
                     "--api-key", clitest.KEY, "--ca-file", os.environ["FLUIDCLOUD_CA_FILE"],
                     env=env).json()
        self.assertTrue(me["tenant_id"])
        # The flag wins over the environment.
        r = self.fails(3, "me", "--api-key", "fck_live_" + "0" * 32)
        self.assertIn("401", r.err)

    def test_config_file(self):
        env = {"FLUIDCLOUD_BASE_URL": None, "FLUIDCLOUD_API_KEY": None,
               "FLUIDCLOUD_CA_FILE": None}
        self.ok("config", "set", "base_url", os.environ["FLUIDCLOUD_BASE_URL"])
        r = self.ok("config", "set", "api_key", "-", input=clitest.KEY + "\n")
        self.assertNotIn(clitest.KEY, r.out + r.err)
        self.ok("config", "set", "ca_file", os.environ["FLUIDCLOUD_CA_FILE"])
        path = self.config_file()
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        me = self.ok("me", "--json", env=env).json()
        self.assertTrue(me["tenant_id"])
        show = self.ok("config", "show", "--json", env=env).json()
        self.assertEqual(show["api_key"]["source"], "file")
        self.assertNotIn(clitest.KEY, str(show))
        self.assertTrue(show["api_key"]["value"].startswith("fck_live_"))
        # The environment wins over the file.
        show = self.ok("config", "show", "--json").json()
        self.assertEqual(show["api_key"]["source"], "env")
        # A file others can read is refused, like ssh does.
        os.chmod(path, 0o644)
        r = self.fails(2, "me", env=env)
        self.assertIn("chmod 600", r.err)
        os.chmod(path, 0o600)
        self.ok("config", "unset", "api_key")
        self.assertIn("no API key", self.fails(3, "me", env=env).err)
        with open(path) as f:
            text = f.read()
        self.assertIn("base_url =", text)
        self.assertNotIn("api_key", text)

    def test_xdg_defaults_under_home(self):
        # No XDG_* variables: ~/.config and ~/.cache, created private on a
        # fresh account.
        home = self.path("fresh-home")
        os.mkdir(home)
        env = {"HOME": home, "XDG_CONFIG_HOME": None, "XDG_CACHE_HOME": None,
               "XDG_STATE_HOME": None}
        self.ok("config", "set", "base_url", os.environ["FLUIDCLOUD_BASE_URL"], env=env)
        config = os.path.join(home, ".config", "fluidcloud", "config")
        self.assertEqual(stat.S_IMODE(os.stat(config).st_mode), 0o600)
        self.ok("me", env=env)
        cache = os.path.join(home, ".cache", "fluidcloud")
        self.assertTrue(os.path.isfile(os.path.join(cache, "tls-sessions")))
        for d in (os.path.dirname(config), os.path.dirname(os.path.dirname(config)), cache,
                  os.path.dirname(cache)):
            self.assertEqual(stat.S_IMODE(os.stat(d).st_mode), 0o700, d)

    def test_bad_settings(self):
        r = self.fails(2, "me", "--ca-file", self.path("missing.pem"))
        self.assertIn("missing.pem", r.err)
        self.assertIn("No such file", r.err)
        r = self.fails(2, "me", env={"FLUIDCLOUD_CA_FILE": self.path("none.pem")})
        self.assertIn("from the environment", r.err)
        not_pem = clitest.write_file(self.path("not.pem"), b"hello\n")
        self.assertIn("no certificate", self.fails(2, "me", "--ca-file", not_pem).err)
        self.assertIn("not an http", self.fails(2, "me", "--base-url", "ftp://x/").err)
        self.fails(2, "config", "set", "colour", "blue")


if __name__ == "__main__":
    clitest.main()

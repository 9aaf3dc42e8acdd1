#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The API commands: a round trip of spaces, folders, files and links in
human and --json output; lists as aligned columns under a header, one page by
default with the paging hint on stderr, every page with --all; human sizes
and --bytes; quota's "unlimited"; the note when a permanent link is revoked."""
import os
import re

import clitest
from clitest import CliTest, new_key, run


class RoundTrip(CliTest):
    def test_spaces_folders_paging(self):
        name = 'cli "quoted" caf\u00e9'
        s = self.ok("--json", "spaces", "create", name).json()
        self.addCleanup(run, "spaces", "delete", s["id"], "--yes")
        self.assertEqual(s["name"], name)
        self.assertEqual(self.ok("--json", "spaces", "get", s["id"]).json()["name"], name)
        out = self.ok("spaces", "get", s["id"]).out
        self.assertRegex(out, rf"(?m)^id\s+{s['id']}$")
        self.assertEqual(self.ok("--json", "spaces", "rename", s["id"], "renamed").json()["name"],
                         "renamed")
        ids = [self.ok("--json", "folders", "create", f"f{i}", "--space", s["id"]).json()["id"]
               for i in range(5)]
        # One page by default, the hint on stderr (not in the pipeline).
        r = self.ok("--json", "folders", "list", "--space", s["id"], "--limit", "2")
        page = r.json()
        self.assertEqual(len(page["items"]), 2)
        self.assertTrue(page["next_cursor"])
        self.assertIn("--all", r.err)
        self.assertIn(page["next_cursor"], r.err)
        nxt = self.ok("--json", "folders", "list", "--space", s["id"], "--limit", "2",
                      "--cursor", page["next_cursor"]).json()
        self.assertEqual([f["id"] for f in nxt["items"]], ids[2:4])
        every = self.ok("--json", "folders", "list", "--space", s["id"], "--limit", "2", "--all")
        self.assertEqual([f["id"] for f in every.json()["items"]], ids)
        self.assertIsNone(every.json()["next_cursor"])
        self.assertEqual(every.err, "")
        # Human: a header, aligned columns, the hint on stderr only.
        r = self.ok("folders", "list", "--space", s["id"], "--limit", "2")
        lines = r.out.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "PARENT_ID", "CREATED", "NAME"])
        self.assertEqual(len(lines), 3)
        col = lines[0].index("NAME")
        for line in lines[1:]:
            self.assertEqual(line[col:], line[col:].strip())
            self.assertRegex(line[col:], r"^f\d$")
        self.assertNotIn("more", r.out)
        self.assertIn("more items", r.err)
        st = self.ok("--json", "folders", "stats", ids[0]).json()
        self.assertEqual((st["file_count"], st["total_bytes"]), (0, 0))
        # move / delete / restore
        self.ok("folders", "move", ids[1], "--parent", ids[0])
        self.assertEqual(self.ok("--json", "folders", "get", ids[1]).json()["parent_id"], ids[0])
        d = self.ok("--json", "folders", "delete", ids[2]).json()
        self.assertEqual((d["ok"], d["id"]), (True, ids[2]))
        trashed = self.ok("--json", "folders", "list", "--space", s["id"], "--trashed").json()
        self.assertIn(ids[2], [f["id"] for f in trashed["items"]])
        self.ok("folders", "restore", ids[2])
        self.assertIn("no items", self.ok("folders", "list", "--space", s["id"],
                                          "--trashed").err)

    def test_files_and_links(self):
        src = clitest.write_file(self.path("doc.txt"), b"d" * 3000)
        up = self.ok("--json", "upload", src, "--client-key", "cli/doc").json()["file"]
        fid = up["id"]
        r = self.ok("files", "list", "--all")
        lines = r.out.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "SIZE", "SCAN_STATUS", "CREATED", "NAME"])
        mine = [line for line in lines if line.startswith(fid)]
        self.assertEqual(len(mine), 1)
        self.assertRegex(mine[0], r"  2\.9 KiB  clean ")
        self.assertIn("  3000  ", [ln for ln in self.ok("files", "list", "--all", "--bytes")
                                   .out.splitlines() if ln.startswith(fid)][0])
        self.ok("files", "rename", fid, "renamed.txt")
        self.assertEqual(self.ok("--json", "files", "get", fid).json()["name"], "renamed.txt")
        self.ok("files", "delete", fid)
        self.ok("files", "restore", fid)
        # Links: permanent, expiring (download unless --permission view), revoke.
        perm = self.ok("--json", "shares", "create", fid).json()
        self.assertIsNone(perm["expires_at"])
        exp = self.ok("--json", "shares", "create", fid, "--days", "2").json()
        self.assertEqual(exp["permission"], "download")
        self.assertTrue(exp["expires_at"])
        view = self.ok("--json", "shares", "create", fid, "--days", "2", "--permission",
                       "view").json()
        self.assertEqual(view["permission"], "view")
        listed = self.ok("--json", "shares", "list", fid).json()
        self.assertEqual({x["id"] for x in listed["items"]}, {perm["id"], exp["id"], view["id"]})
        lines = self.ok("shares", "list", "--file", fid).out.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "FILE_ID", "PERMISSION", "EXPIRES"])
        self.assertTrue(any(line.endswith("never") for line in lines[1:]))
        r = self.ok("shares", "revoke", perm["id"])
        self.assertIn("edge cache", r.err)
        r = self.ok("shares", "revoke", exp["id"])
        self.assertNotIn("edge cache", r.err)
        self.fails(5, "shares", "get", perm["id"])

    def test_import_me_quota(self):
        src = clitest.write_file(self.path("imp.jpg"), b"i" * 100)
        up = self.ok("--json", "upload", src, "--public").json()
        imp = self.ok("--json", "import", up["url"], "--name", "imported.jpg").json()
        self.assertEqual(imp["name"], "imported.jpg")
        me = self.ok("me").out
        self.assertRegex(me, r"(?m)^mode\s+live$")
        q = self.ok("quota").out
        self.assertRegex(q, r"(?m)^storage\s+[\d.]+ (B|KiB|MiB) used of unlimited$")
        self.assertRegex(q, r"(?m)^links\s+\d+ used of unlimited$")
        self.assertNotIn("-1", q)
        j = self.ok("--json", "quota").json()
        self.assertIsNone(j["bytes_limit"])
        k = new_key(bytes_limit=5 << 20, links_limit=10)
        q = self.ok("quota", "--api-key", k["key"]).out
        self.assertRegex(q, r"(?m)^storage\s+0 B used of 5\.0 MiB$")
        self.assertRegex(q, r"(?m)^links\s+0 used of 10$")


if __name__ == "__main__":
    clitest.main()

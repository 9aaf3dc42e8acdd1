#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of port_kit_peer.py itself (ctest port_kit_peer_selftest)."""
import importlib.util
import os
import socket
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("port_kit_peer", os.path.join(HERE, "port_kit_peer.py"))
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)


class PeerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="fc-kit-peer-")
        cls.info = peer.start("127.0.0.1", [], cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.info["plain_port"]), timeout=10)
        self.addCleanup(s.close)
        return s

    def line(self, s):
        return peer.read_line(s)

    def test_echo(self):
        s = self.connect()
        s.sendall(b"ECHO 5\n" + peer.pattern(0, 5))
        self.assertEqual(peer.read_exact(s, 5), peer.pattern(0, 5))

    def test_release_after_hold(self):
        a, b = self.connect(), self.connect()
        a.sendall(b"HOLD t1\n")
        b.sendall(b"RELEASE t1 1000\n")
        self.assertEqual(self.line(b), "OK")
        a.sendall(peer.pattern(0, 1000))
        self.assertEqual(self.line(a), "GOT 1000 OK")

    def test_release_before_hold(self):
        # The kit may RELEASE before the peer's thread has read the HOLD line.
        a, b = self.connect(), self.connect()
        b.sendall(b"RELEASE t2 700\n")
        self.assertEqual(self.line(b), "OK")
        a.sendall(b"HOLD t2\n" + peer.pattern(0, 700))
        self.assertEqual(self.line(a), "GOT 700 OK")

    def test_hold_detects_a_wrong_stream(self):
        a, b = self.connect(), self.connect()
        a.sendall(b"HOLD t3\n")
        b.sendall(b"RELEASE t3 100\n")
        self.assertEqual(self.line(b), "OK")
        data = bytearray(peer.pattern(0, 100))
        data[42] ^= 1
        a.sendall(bytes(data))
        self.assertEqual(self.line(a), "GOT 100 BAD at 42")

    def test_refused_port_refuses(self):
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", self.info["refused_port"]), timeout=10)


if __name__ == "__main__":
    unittest.main()

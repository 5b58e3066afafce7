#!/usr/bin/env python3
"""Writes the seed corpus for fuzz_protocol: one valid message of each type,
prefixed by the stream byte (enum fen_stream; +0x80 = small max_body).
Usage: fuzz/gen_corpus_protocol.py [DIR] (default fuzz/corpus/fuzz_protocol)."""
import os
import struct
import sys

GUI_G, GUI_D, CLIP_G, CLIP_D, AUDIO_G, AUDIO_D = range(6)
MAGIC, MAJOR, MINOR = 0x4E454646, 1, 0


def u32(*v):
    return struct.pack("<%dI" % len(v), *v)


def i32(*v):
    return struct.pack("<%di" % len(v), *v)


def msg(stream, mtype, window, body):
    return bytes([stream]) + u32(mtype, window, len(body)) + body


def hello(kind, w=0, h=0):
    return u32(MAGIC, MAJOR, MINOR, kind, w, h, 0, 0)


def cls(s):
    return s.encode().ljust(64, b"\0")


dump = u32(1, 100, 50, 400, 0, 1, 9, 0, 5) + u32(*range(5))
seeds = {
    "hello_gui_guest": msg(GUI_G, 0x0001, 0, hello(1)),
    "hello_gui_dom0": msg(GUI_D, 0x0001, 0, hello(1, 1920, 1080)),
    "hello_clip": msg(CLIP_G, 0x0001, 0, hello(2)),
    "hello_audio": msg(AUDIO_D, 0x0001, 0, hello(3)),
    "create": msg(GUI_G, 0x0100, 7, i32(10, 20) + u32(640, 480, 0, 0)),
    "destroy": msg(GUI_G, 0x0101, 7, b""),
    "map": msg(GUI_G, 0x0102, 7, u32(0, 1)),
    "unmap": msg(GUI_G, 0x0103, 7, b""),
    "configure": msg(GUI_D, 0x0104, 7, i32(-5, 5) + u32(800, 600, 0)),
    "damage": msg(GUI_G, 0x0105, 7, u32(2) + i32(0, 0) + u32(10, 10) + i32(5, 5) + u32(1, 1)),
    "window_dump": msg(GUI_G, 0x0106, 7, dump),
    "title": msg(GUI_G, 0x0107, 7, u32(16) + "caf\u00e9 \u202e\u200bx\t".encode()[:16].ljust(16, b"!")),
    "wm_class": msg(GUI_G, 0x0108, 7, cls("Firefox") + cls("Navigator")),
    "size_hints": msg(GUI_G, 0x0109, 7, u32(0xF, 10, 10, 800, 600, 1, 1, 0, 0)),
    "wm_flags": msg(GUI_G, 0x010A, 7, u32(1, 2)),
    "cursor": msg(GUI_G, 0x010B, 7, u32(68)),
    "pool": msg(GUI_G, 0x010C, 0, u32(1024, 0)),
    "dump_ack": msg(GUI_D, 0x010D, 7, u32(9)),
    "key": msg(GUI_D, 0x0120, 7, u32(1) + i32(3, 4) + u32(1, 38)),
    "button": msg(GUI_D, 0x0121, 7, u32(1) + i32(3, 4) + u32(0, 1)),
    "motion": msg(GUI_D, 0x0122, 7, i32(3, 4) + u32(0, 0)),
    "crossing": msg(GUI_D, 0x0123, 7, u32(1) + i32(3, 4) + u32(0, 0, 0)),
    "focus": msg(GUI_D, 0x0124, 7, u32(1, 0, 3)),
    "keymap": msg(GUI_D, 0x0125, 7, bytes(range(32))),
    "close": msg(GUI_D, 0x0126, 7, b""),
    "clip_request": msg(CLIP_D, 0x0200, 0, u32(1, 65536)),
    "clip_data": msg(CLIP_G, 0x0201, 0, u32(1, 11) + "gr\u00fc\u00df dich".encode()[:11]),
    "clip_data_capped": msg(CLIP_G | 0x80, 0x0201, 0, u32(1, 5) + b"hello"),
    "clip_paste": msg(CLIP_D, 0x0202, 0, u32(0, 5) + b"paste"),
    "audio_format": msg(AUDIO_G, 0x0300, 0, u32(1, 48000, 1, 2)),
    "audio_pcm": msg(AUDIO_G, 0x0301, 0, u32(8) + bytes(8)),
    "audio_cork": msg(AUDIO_G, 0x0302, 0, u32(1)),
    "audio_mic_request": msg(AUDIO_G, 0x0303, 0, u32(1)),
    "audio_mic_pcm": msg(AUDIO_D, 0x0304, 0, u32(4) + bytes(4)),
    "audio_latency": msg(AUDIO_D, 0x0305, 0, u32(20000)),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "fuzz_protocol")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

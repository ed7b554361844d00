"""A fake camera for browser tests: Chromium plays a Y4M file as the phone's camera, and the
file shows a real QR code (rendered by segno, as the tickets and certificates are)."""

from __future__ import annotations

from pathlib import Path

import segno

WIDTH, HEIGHT = 640, 480


def render_y4m(path: Path, content: str, frames: int = 5) -> Path:
    """A short grey-scale video (YUV 4:2:0) of the QR `content`, centred on white."""
    matrix = list(segno.make(content, error="m", micro=False).matrix_iter(scale=1, border=4))
    module = min(WIDTH, HEIGHT) * 9 // 10 // len(matrix)
    size = module * len(matrix)
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    white, black = 235, 16  # video levels
    luma = bytearray([white]) * (WIDTH * HEIGHT)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if not dark:
                continue
            for dy in range(module):
                start = (top + y * module + dy) * WIDTH + left + x * module
                luma[start : start + module] = bytes([black]) * module
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(luma)
            out.write(chroma)
            out.write(chroma)
    return path


def camera_showing(path: Path, content: str) -> list[str]:
    """Chromium flags for a camera that shows the QR `content` (permission granted)."""
    render_y4m(path, content)
    return [
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={path}",
        "--use-fake-ui-for-media-stream",
    ]

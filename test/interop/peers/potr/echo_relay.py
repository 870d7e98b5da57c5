"""The potr peer's connection to an echo-network relay (DRIVER.md, "Transport").

frame = LENGTH_ADDRESS (u32 BE) ADDRESS (UTF-8) LENGTH_CONTENT (u32 BE) CONTENT.
Our address is our local socket address, which on loopback is what the relay
sees. With a local port we bind it (SO_REUSEADDR) and retry for a few seconds
while an old connection on that port lingers.
"""
import errno
import selectors
import socket
import struct
import time

MAX_ADDRESS_BYTES = 1024
MAX_CONTENT_BYTES = 16 * 1024 * 1024
RETRY_SECONDS = 10.0


def encode_frame(address, content):
    address_bytes = address.encode('utf-8')
    return (struct.pack('>I', len(address_bytes)) + address_bytes
            + struct.pack('>I', len(content)) + content)


class FrameError(ConnectionError):
    """The relay sent a frame beyond our bounds."""


class RelayConnection:
    def __init__(self, host, port, local_port=None):
        self.sock = self._connect(host, port, local_port)
        local_host, local = self.sock.getsockname()[:2]
        self.address = '%s:%d' % (local_host, local)
        self.buffer = b''
        self.selector = selectors.DefaultSelector()
        self.selector.register(0, selectors.EVENT_READ, 'stdin')
        self.selector.register(self.sock, selectors.EVENT_READ, 'relay')

    @staticmethod
    def _connect(host, port, local_port):
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                if local_port is not None:
                    sock.bind((host, local_port))
                sock.connect((host, port))
                return sock
            except OSError as failure:
                sock.close()
                retry = failure.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL)
                if local_port is None or not retry or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def wait(self):
        """Blocks until stdin or the relay is readable: (stdin_ready, relay_ready)."""
        ready = {key.data for key, _mask in self.selector.select()}
        return 'stdin' in ready, 'relay' in ready

    def send(self, to, content):
        self.sock.sendall(encode_frame(to, content))

    def receive(self):
        """Complete frames as (sender, content bytes); None once the relay closed."""
        chunk = self.sock.recv(65536)
        if not chunk:
            return None
        self.buffer += chunk
        frames = []
        while len(self.buffer) >= 4:
            address_length = struct.unpack('>I', self.buffer[:4])[0]
            if address_length > MAX_ADDRESS_BYTES:
                raise FrameError('relay frame address of %d bytes' % address_length)
            if len(self.buffer) < 8 + address_length:
                break
            content_length = struct.unpack('>I', self.buffer[4 + address_length:8 + address_length])[0]
            if content_length > MAX_CONTENT_BYTES:
                raise FrameError('relay frame of %d bytes' % content_length)
            end = 8 + address_length + content_length
            if len(self.buffer) < end:
                break
            sender = self.buffer[4:4 + address_length].decode('utf-8', 'replace')
            frames.append((sender, self.buffer[8 + address_length:end]))
            self.buffer = self.buffer[end:]
        return frames

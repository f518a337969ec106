"""The browser tests' live server: a client that resets the connection leaks nothing."""
import gc
import socket
import struct
import time
import warnings

from tests.live_server import serving


def test_a_reset_connection_leaves_no_file_open(app):
    with warnings.catch_warnings(record=True) as caught, serving(app) as url:
        warnings.simplefilter("always")
        port = int(url.rsplit(":", 1)[1])
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
                client.sendall(b"GET /static/vendor/chartjs/chart.umd.min.js HTTP/1.1\r\nHost: test\r\n\r\n")
                assert client.recv(12).startswith(b"HTTP/1.1 200")
                # Close with a reset (linger 0) while the answer is still being sent.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.5)
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []

"""A free TCP port on the loopback interface, for tests and benchmarks that
start a local server (the demo page, torch.distributed's rendezvous)."""
import socket


def free_port() -> int:
    """A port that nothing listens on at 127.0.0.1 now (the system picks
    it; another process may take it before the caller binds it)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

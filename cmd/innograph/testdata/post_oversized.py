"""Post an oversized JSON body to innograph's /graphql with urllib.request.

urllib.request sends the whole body before it reads the answer. Usage:
post_oversized.py URL SIZE length|chunked. Prints {"status": …, "body": …}
as JSON; a failure to read the answer (a reset) raises and exits non-zero.
"""

import json
import sys
import urllib.error
import urllib.request

PREFIX = b'{"query": "{ __typename }"}'
BLOCK = 64 << 10


def blocks(size):
    """Yield the body in blocks: PREFIX, then spaces up to size bytes."""
    yield PREFIX
    left = size - len(PREFIX)
    while left > 0:
        n = min(left, BLOCK)
        yield b" " * n
        left -= n


def main():
    url, size, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "length":
        data = b"".join(blocks(size))
    elif mode == "chunked":
        data = blocks(size)  # an iterable without a length is sent chunked
    else:
        sys.exit("mode must be length or chunked, not " + mode)
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
        headers = e.headers
    else:
        headers = resp.headers
    json.dump({"status": status, "connection": headers.get("Connection", ""),
               "body": body.decode("utf-8")}, sys.stdout)


if __name__ == "__main__":
    main()

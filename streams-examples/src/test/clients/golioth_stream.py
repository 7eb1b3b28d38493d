"""Reads a Streams server's Golioth project and device streams with the python websockets library.

Usage: python3 golioth_stream.py <http base> <project> <api key> <device id>
"""
import asyncio
import json
import sys
import urllib.request

import websockets


async def main(base, project, key, device):
    ws_base = base.replace("http", "ws", 1)
    project_url = f"{ws_base}/v1/ws/projects/{project}/stream?x-api-key={key}"
    device_url = f"{ws_base}/v1/ws/projects/{project}/devices/{device}/stream"
    async with websockets.connect(project_url) as project_stream, \
            websockets.connect(device_url, extra_headers={"x-api-key": key}) as device_stream:
        await asyncio.sleep(0.3)
        request = urllib.request.Request(
            f"{base}/v1/projects/{project}/devices/{device}/ingest/env",
            data=json.dumps({"temp": 21.5, "ts": 1700000000000}).encode(),
            headers={"x-api-key": key, "Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, response.status
        for name, stream in (("project", project_stream), ("device", device_stream)):
            while True:
                frame = json.loads(await asyncio.wait_for(stream.recv(), 10))
                data = frame["result"]["data"]
                if data["deviceId"] == device and data["data"] == {"env": {"temp": 21.5}}:
                    break
            assert data["timestamp"] == "2023-11-14T22:13:20Z", data["timestamp"]
            assert "id" in frame
            print(f"python-websockets: {name} stream ok", flush=True)

    # websockets offers permessage-deflate by default; a large reading goes out compressed and must arrive intact.
    async with websockets.connect(device_url, extra_headers={"x-api-key": key}) as compressed:
        names = [type(e).__name__ for e in compressed.extensions]
        assert any("Deflate" in n for n in names), names
        await asyncio.sleep(0.3)
        big = "reading " * 500
        request = urllib.request.Request(
            f"{base}/v1/projects/{project}/devices/{device}/ingest",
            data=json.dumps({"note": big}).encode(),
            headers={"x-api-key": key, "Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, response.status
        while True:
            data = json.loads(await asyncio.wait_for(compressed.recv(), 10))["result"]["data"]["data"]
            if data.get("note") is not None:
                break
        assert data["note"] == big
        print("python-websockets: compressed stream ok", flush=True)

    async with websockets.connect(f"{ws_base}/v1/ws/projects/{project}/stream?x-api-key=wrong") as refused:
        error = json.loads(await asyncio.wait_for(refused.recv(), 10))
        assert error["error"]["code"] == 16, error
        try:
            await asyncio.wait_for(refused.recv(), 10)
            raise AssertionError("expected the server to close")
        except websockets.ConnectionClosed as closed:
            assert closed.code == 4401, closed.code
    print("python-websockets: ok", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))

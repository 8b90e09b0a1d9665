#!/usr/bin/env python3
"""Capture real Letta server responses as test fixtures (stdlib only).

Usage:
  capture.py --base-url http://127.0.0.1:8283 --fake-llm-url http://127.0.0.1:PORT/v1 [--out DIR]

The server must have been started with OPENAI_API_KEY and OPENAI_API_BASE=<fake-llm-url>
(tests/live/run does that: `tests/live/run --capture`). Every file written is the server's
own output, pretty-printed (stream.txt is the raw SSE body). The script checks that the agent
step really went through the fake LLM (an assistant_message appears, the stream ends with
`data: [DONE]`) and that the uploaded file produced passages, and exits non-zero otherwise.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "data", "letta-0.7.10"))

TOOL_SOURCE = '''def roll_dice(sides: int) -> str:
    """
    Roll a die with the given number of sides.

    Args:
        sides (int): How many sides the die has.

    Returns:
        str: The number that came up.
    """
    import random

    return str(random.randint(1, sides))
'''

UPLOAD_TEXT = (
    "Letta live-test fixture.\n"
    "The quick brown fox jumps over the lazy dog.\n"
    "This small file is uploaded to a source, split into passages and embedded.\n"
)


class Api:
    def __init__(self, base_url):
        self.base = base_url.rstrip("/")

    def request(self, method, path, body=None, headers=None, raw=False, expect=None, timeout=120):
        """Return (status, parsed JSON or raw bytes). `expect` is the status that must come back."""
        data = None
        hdrs = {"Accept": "application/json"}
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, payload = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, payload = err.code, err.read()
        if expect is not None and status != expect:
            raise SystemExit(f"{method} {path}: expected HTTP {expect}, got {status}: {payload[:2000]!r}")
        if raw:
            return status, payload
        return status, json.loads(payload.decode("utf-8"))


def write_json(out, name, obj):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {path}")


def write_raw(out, name, data):
    path = os.path.join(out, name)
    with open(path, "wb") as f:
        f.write(data)
    print(f"wrote {path}")


def multipart(field, filename, content, content_type="text/plain"):
    boundary = "----letta-capture-" + uuid.uuid4().hex
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode("utf-8") + content + f"\r\n--{boundary}--\r\n".encode("utf-8")
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def fail(msg):
    raise SystemExit(f"capture failed: {msg}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=os.environ.get("LETTA_BASE_URL", "http://127.0.0.1:8283"))
    parser.add_argument("--fake-llm-url", default=os.environ.get("FAKE_LLM_BASE_URL"))
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    if not args.fake_llm_url:
        fail("--fake-llm-url (or FAKE_LLM_BASE_URL) is required")
    fake = args.fake_llm_url.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    api = Api(args.base_url)
    suffix = uuid.uuid4().hex[:8]

    llm_config = {"model": "fake-model", "model_endpoint_type": "openai", "model_endpoint": fake,
                  "context_window": 8192}
    embedding_config = {"embedding_model": "fake-embed", "embedding_endpoint_type": "openai",
                        "embedding_endpoint": fake, "embedding_dim": 1536, "embedding_chunk_size": 300}

    # health
    _, health = api.request("GET", "/v1/health/", expect=200)
    write_json(args.out, "health.json", health)

    # blocks
    _, block = api.request("POST", "/v1/blocks/", {
        "label": "project_notes", "value": "The live tests run against Letta 0.7.10.",
        "limit": 2000, "description": "Shared notes about the project.", "metadata": {"fixture": True},
    }, expect=200)
    write_json(args.out, "block.json", block)

    # tools
    _, tool = api.request("POST", "/v1/tools/", {
        "source_code": TOOL_SOURCE, "description": "Roll a die.", "tags": ["fixture", "dice"],
    }, expect=200)
    write_json(args.out, "tool.json", tool)
    _, tools = api.request("GET", "/v1/tools/", expect=200)
    write_json(args.out, "tools_list.json", tools)

    # agent
    _, agent = api.request("POST", "/v1/agents/", {
        "name": f"fixture-agent-{suffix}",
        "description": "Agent created by tests/live/capture.py",
        "llm_config": llm_config,
        "embedding_config": embedding_config,
        "memory_blocks": [
            {"label": "human", "value": "The human is a Rust developer testing an SDK."},
            {"label": "persona", "value": "I am a helpful fixture agent.", "limit": 4000},
        ],
        "block_ids": [block["id"]],
        "tool_ids": [tool["id"]],
        "tool_rules": [
            {"tool_name": "roll_dice", "type": "continue_loop"},
            {"tool_name": "roll_dice", "type": "max_count_per_step", "max_count_limit": 2},
        ],
        "tags": ["fixture", "live"],
        "metadata": {"purpose": "fixture"},
    }, expect=200)
    write_json(args.out, "agent_state.json", agent)
    agent_id = agent["id"]
    _, agents = api.request("GET", "/v1/agents/", expect=200)
    write_json(args.out, "agents_list.json", agents)
    # after the agent exists, so that the list also holds its memory blocks
    _, blocks = api.request("GET", "/v1/blocks/", expect=200)
    write_json(args.out, "blocks_list.json", blocks)

    # one agent step through the fake LLM
    _, response = api.request("POST", f"/v1/agents/{agent_id}/messages",
                              {"messages": [{"role": "user", "content": "hello"}]}, expect=200)
    kinds = [m.get("message_type") for m in response.get("messages", [])]
    replies = [m for m in response.get("messages", []) if m.get("message_type") == "assistant_message"]
    if not replies or "hello" not in json.dumps(replies[0].get("content")):
        fail(f"no assistant reply derived from the user message; message types: {kinds}")
    write_json(args.out, "letta_response.json", response)

    _, messages = api.request("GET", f"/v1/agents/{agent_id}/messages", expect=200)
    write_json(args.out, "messages_list.json", messages)
    # the reply to "hello" (the list also holds the agent's bootstrap messages)
    item = next((m for m in reversed(messages) if m.get("message_type") == "assistant_message"), None)
    if item is None:
        fail("messages list holds no assistant_message")
    write_json(args.out, "message.json", item)

    # streaming step (whole messages, not tokens)
    _, stream = api.request("POST", f"/v1/agents/{agent_id}/messages/stream",
                            {"messages": [{"role": "user", "content": "hello again"}], "stream_tokens": False},
                            headers={"Accept": "text/event-stream"}, raw=True, expect=200)
    if not stream.rstrip().endswith(b"data: [DONE]"):
        fail(f"stream did not end with data: [DONE]: {stream[-300:]!r}")
    if b'"assistant_message"' not in stream:
        fail("stream holds no assistant_message")
    write_raw(args.out, "stream.txt", stream)

    # source, upload, job, passages
    _, source = api.request("POST", "/v1/sources/", {
        "name": f"fixture-source-{suffix}", "description": "Source created by tests/live/capture.py",
        "embedding_config": embedding_config, "metadata": {"fixture": True},
    }, expect=200)
    write_json(args.out, "source.json", source)
    body, headers = multipart("file", "fixture.txt", UPLOAD_TEXT.encode("utf-8"))
    _, job = api.request("POST", f"/v1/sources/{source['id']}/upload", body, headers=headers, expect=200)
    deadline = time.time() + 60
    while job.get("status") not in ("completed", "failed", "cancelled", "expired"):
        if time.time() > deadline:
            fail(f"upload job {job.get('id')} still {job.get('status')} after 60 s")
        time.sleep(0.5)
        _, job = api.request("GET", f"/v1/jobs/{job['id']}", expect=200)
    if job.get("status") != "completed":
        fail(f"upload job ended {job.get('status')}: {job}")
    write_json(args.out, "job.json", job)
    _, passages = api.request("GET", f"/v1/sources/{source['id']}/passages", expect=200)
    if not passages:
        fail("the upload produced no passages (is OPENAI_API_BASE set on the server?)")
    write_json(args.out, "passages_list.json", passages)

    # errors
    _, invalid = api.request("POST", "/v1/blocks/", {"label": 42}, expect=422)
    write_json(args.out, "validation_error_422.json", invalid)
    _, missing = api.request("GET", "/v1/agents/agent-00000000-0000-4000-8000-000000000000", expect=404)
    write_json(args.out, "not_found_404.json", missing)

    print(f"capture complete: agent {agent_id}, message types {kinds}, {len(passages)} passage(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Capture real Letta 0.16.8 server responses as test fixtures (stdlib only).

Usage:
  capture_016.py --base-url http://127.0.0.1:8283 --fake-llm-url http://127.0.0.1:PORT/v1
                 [--out DIR] [--mcp-python PY]

The server must have been started by `tests/live/run --letta 0.16.8` (or the same way: OPENAI_API_BASE
at the fake LLM, MCP_DISABLE_STDIO=false for the MCP part):

  LIVE_COVERAGE_GATE=0 LIVE_TEST_CMD='python3 tests/live/capture_016.py' tests/live/run --letta 0.16.8

Every file written is the server's own output (JSON pretty-printed; *.txt are raw SSE bodies). The
agent is a default `letta_v1_agent` on the fake LLM (`openai-proxy/fake-model`); the fake LLM's
markers (see fake_llm.py) make it call a tool (FAKE_LLM_TOOL) or fail (FAKE_LLM_FAIL). Streams are
requested the way a 1.0 SDK does (`streaming: true` with `X-Stainless-Package-Version`); the script
checks that each stream ends with `data: [DONE]`, that the replies went through the fake LLM, that
the failing step produced `event: error`, and that the uploaded file produced passages, and exits
non-zero otherwise.
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
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "tests", "data", "letta-0.16.8")
DEFAULT_MCP_PYTHON = os.path.join(REPO, "target", "letta-venv-0.16.8", "bin", "python")
MODEL = "openai-proxy/fake-model"  # the handle Letta gives fake-model behind a non-OpenAI base URL
EMBEDDING = "openai/text-embedding-3-small"  # served by the fake LLM through OPENAI_API_BASE
# Headers of a "1.0" SDK (letta.utils.is_1_0_sdk_version): any X-Stainless-Package-Version.
V1_HEADERS = {"X-Stainless-Package-Version": "1.0.0", "User-Agent": "letta-api-rust/0.2.0"}
LEGACY_HEADERS = {"User-Agent": "letta-api-rust/0.2.0"}

TOOL_SOURCE = '''def add_numbers(a: int, b: int) -> int:
    """
    Add two integers.

    Args:
        a (int): The first number.
        b (int): The second number.

    Returns:
        int: The sum.
    """
    return a + b
'''

UPLOAD_TEXT = (
    "Letta live-test fixture.\n"
    "The quick brown fox jumps over the lazy dog.\n"
    "This small file is uploaded to a folder, split into passages and embedded.\n"
)


class Api:
    def __init__(self, base_url):
        self.base = base_url.rstrip("/")

    def request(self, method, path, body=None, headers=None, raw=False, expect=None, timeout=180):
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
        return status, json.loads(payload.decode("utf-8") or "null")


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


def stream(api, agent_id, body, name, out):
    headers = dict(V1_HEADERS, Accept="text/event-stream")
    _, data = api.request("POST", f"/v1/agents/{agent_id}/messages", dict(body, streaming=True),
                          headers=headers, raw=True, expect=200)
    if not data.rstrip().endswith(b"data: [DONE]"):
        fail(f"{name}: the stream did not end with data: [DONE]: {data[-300:]!r}")
    write_raw(out, name, data)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=os.environ.get("LETTA_BASE_URL", "http://127.0.0.1:8283"))
    parser.add_argument("--fake-llm-url", default=os.environ.get("FAKE_LLM_BASE_URL"))
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--mcp-python", default=DEFAULT_MCP_PYTHON,
                        help="interpreter with the `mcp` package for mcp_stdio_server.py ('' skips MCP)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    api = Api(args.base_url)
    suffix = uuid.uuid4().hex[:8]

    _, health = api.request("GET", "/v1/health/", expect=200)
    if health.get("version") != "0.16.8":
        fail(f"the server is Letta {health.get('version')}, not 0.16.8")
    write_json(args.out, "health.json", health)

    # blocks and tools
    _, block = api.request("POST", "/v1/blocks/", {
        "label": "project_notes", "value": "The live tests run against Letta 0.16.8.",
        "limit": 2000, "description": "Shared notes about the project.", "metadata": {"fixture": True},
    }, expect=200)
    write_json(args.out, "block.json", block)
    _, tool = api.request("POST", "/v1/tools/", {
        "source_code": TOOL_SOURCE, "description": "Add two numbers.", "tags": ["fixture"],
    }, expect=200)
    write_json(args.out, "tool.json", tool)

    # agent (default agent_type letta_v1_agent)
    _, agent = api.request("POST", "/v1/agents/", {
        "name": f"fixture-agent-{suffix}",
        "description": "Agent created by tests/live/capture_016.py",
        "model": MODEL,
        "embedding": EMBEDDING,
        "memory_blocks": [
            {"label": "human", "value": "The human is a Rust developer testing an SDK."},
            {"label": "persona", "value": "I am a helpful fixture agent.", "limit": 4000},
        ],
        "block_ids": [block["id"]],
        "tool_ids": [tool["id"]],
        "tags": ["fixture", "live"],
        "metadata": {"purpose": "fixture"},
    }, headers=V1_HEADERS, expect=200)
    write_json(args.out, "agent_state.json", agent)
    agent_id = agent["id"]
    _, agents = api.request("GET", "/v1/agents/?tags=fixture", headers=V1_HEADERS, expect=200)
    write_json(args.out, "agents_list.json", agents)
    _, blocks = api.request("GET", "/v1/blocks/", headers=V1_HEADERS, expect=200)
    write_json(args.out, "blocks_list.json", blocks)
    _, tools = api.request("GET", "/v1/tools/", headers=V1_HEADERS, expect=200)
    write_json(args.out, "tools_list.json", tools)

    # one agent step through the fake LLM, answered as JSON (streaming defaults to false)
    _, response = api.request("POST", f"/v1/agents/{agent_id}/messages",
                              {"messages": [{"role": "user", "content": "hello"}]}, headers=V1_HEADERS, expect=200)
    kinds = [m.get("message_type") for m in response.get("messages", [])]
    replies = [m for m in response.get("messages", []) if m.get("message_type") == "assistant_message"]
    if not replies or "hello" not in json.dumps(replies[0].get("content")):
        fail(f"no assistant reply derived from the user message; message types: {kinds}")
    write_json(args.out, "letta_response.json", response)

    # a step that calls a tool (tool_call_message, tool_return_message, assistant_message)
    _, tool_response = api.request("POST", f"/v1/agents/{agent_id}/messages", {
        "messages": [{"role": "user", "content": 'FAKE_LLM_TOOL:add_numbers {"a": 2, "b": 3}'}],
    }, headers=V1_HEADERS, expect=200)
    tool_kinds = [m.get("message_type") for m in tool_response.get("messages", [])]
    if "tool_return_message" not in tool_kinds:
        fail(f"the tool step returned no tool_return_message: {tool_kinds}")
    write_json(args.out, "letta_response_tool.json", tool_response)

    # a step whose LLM call fails: JSON error body
    status, llm_error = api.request("POST", f"/v1/agents/{agent_id}/messages", {
        "messages": [{"role": "user", "content": "FAKE_LLM_FAIL:400"}],
    }, headers=V1_HEADERS)
    write_json(args.out, f"llm_error_{status}.json", llm_error)

    _, messages = api.request("GET", f"/v1/agents/{agent_id}/messages", headers=V1_HEADERS, expect=200)
    write_json(args.out, "messages_list.json", messages)
    item = next((m for m in reversed(messages) if m.get("message_type") == "assistant_message"), None)
    if item is None:
        fail("messages list holds no assistant_message")
    write_json(args.out, "message.json", item)

    # streams: whole messages, tokens, a tool step, a failing step, without pings
    data = stream(api, agent_id, {"messages": [{"role": "user", "content": "hello again"}]}, "stream.txt", args.out)
    if b'"assistant_message"' not in data or b'"ping"' not in data:
        fail("stream.txt holds no assistant_message or no ping")
    stream(api, agent_id, {"messages": [{"role": "user", "content": "tokens please"}], "stream_tokens": True},
           "stream_tokens.txt", args.out)
    stream(api, agent_id, {"messages": [{"role": "user", "content": "no pings"}], "include_pings": False},
           "stream_no_pings.txt", args.out)
    data = stream(api, agent_id, {"messages": [{"role": "user", "content": 'FAKE_LLM_TOOL:add_numbers {"a": 4, "b": 5}'}]},
                  "stream_tool.txt", args.out)
    if b'"tool_return_message"' not in data:
        fail("stream_tool.txt holds no tool_return_message")
    data = stream(api, agent_id, {"messages": [{"role": "user", "content": "FAKE_LLM_FAIL:400"}]},
                  "stream_error.txt", args.out)
    if b"event: error" not in data or b'"error_message"' not in data:
        fail("stream_error.txt holds no `event: error` with an error_message")

    # a legacy client (User-Agent with a slash, no X-Stainless-Package-Version) may not stream
    _, legacy = api.request("POST", f"/v1/agents/{agent_id}/messages",
                            {"messages": [{"role": "user", "content": "hi"}], "streaming": True},
                            headers=LEGACY_HEADERS, expect=422)
    write_json(args.out, "streaming_legacy_client_422.json", legacy)

    # folder, upload, passages
    _, folder = api.request("POST", "/v1/folders/", {
        "name": f"fixture-folder-{suffix}", "description": "Folder created by tests/live/capture_016.py",
        "embedding": EMBEDDING, "metadata": {"fixture": True},
    }, expect=200)
    write_json(args.out, "folder.json", folder)
    body, headers = multipart("file", "fixture.txt", UPLOAD_TEXT.encode("utf-8"))
    _, upload = api.request("POST", f"/v1/folders/{folder['id']}/upload", body, headers=headers, expect=200)
    write_json(args.out, "file_upload.json", upload)
    deadline = time.time() + 60
    while True:
        _, meta = api.request("GET", f"/v1/folders/{folder['id']}/files/{upload['id']}", expect=200)
        if meta.get("processing_status") in ("completed", "error"):
            break
        if time.time() > deadline:
            fail(f"file {upload['id']} still {meta.get('processing_status')} after 60 s")
        time.sleep(0.5)
    if meta.get("processing_status") != "completed":
        fail(f"file processing ended {meta.get('processing_status')}: {meta.get('error_message')}")
    write_json(args.out, "file_metadata.json", meta)
    _, passages = api.request("GET", f"/v1/folders/{folder['id']}/passages", expect=200)
    if not passages:
        fail("the upload produced no passages (is OPENAI_API_BASE set on the server?)")
    write_json(args.out, "passages_list.json", passages)

    # archive with a passage
    _, archive = api.request("POST", "/v1/archives/", {
        "name": f"fixture-archive-{suffix}", "embedding": EMBEDDING,
    }, expect=200)
    write_json(args.out, "archive.json", archive)
    _, archive_passage = api.request("POST", f"/v1/archives/{archive['id']}/passages",
                                     {"text": "The archive remembers the fox."}, expect=200)
    write_json(args.out, "archive_passage.json", archive_passage)

    # MCP stdio server
    if args.mcp_python:
        _, server = api.request("POST", "/v1/mcp-servers/", {
            "server_name": f"fixture-mcp-{suffix}",
            "config": {"mcp_server_type": "stdio", "command": os.path.abspath(args.mcp_python),
                       "args": [os.path.join(HERE, "mcp_stdio_server.py")]},
        }, expect=200)
        write_json(args.out, "mcp_server.json", server)
        _, mcp_tools = api.request("GET", f"/v1/mcp-servers/{server['id']}/tools", expect=200)
        if sorted(t.get("name") for t in mcp_tools) != ["add", "echo"]:
            fail(f"the MCP server lists tools {[t.get('name') for t in mcp_tools]}, expected add and echo")
        write_json(args.out, "mcp_tools_list.json", mcp_tools)
        add = next(t for t in mcp_tools if t["name"] == "add")
        _, run = api.request("POST", f"/v1/mcp-servers/{server['id']}/tools/{add['id']}/run",
                             {"args": {"a": 2, "b": 40}}, expect=200)
        if run.get("func_return") != "42":
            fail(f"the MCP tool add(2, 40) returned {run!r}")
        write_json(args.out, "mcp_tool_run.json", run)

    # export (declared `string` in the document; the server sends an object)
    _, export = api.request("GET", f"/v1/agents/{agent_id}/export", expect=200)
    write_json(args.out, "agent_export.json", export)

    # errors
    _, invalid = api.request("POST", "/v1/blocks/", {"label": 42}, expect=422)
    write_json(args.out, "validation_error_422.json", invalid)
    _, missing = api.request("GET", "/v1/agents/agent-00000000-0000-4000-8000-000000000000", expect=404)
    write_json(args.out, "not_found_404.json", missing)

    print(f"capture complete: agent {agent_id}, message types {kinds} / {tool_kinds}, {len(passages)} passage(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

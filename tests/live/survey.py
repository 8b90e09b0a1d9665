#!/usr/bin/env python3
"""Call every GET operation of a Letta OpenAPI document against a live server (stdlib only).

Usage:
  survey.py --spec spec/letta-0.16.8/openapi.json [--base-url URL] [--fake-llm-url URL]
            [--mcp-python PY] [--json OUT]

Creates a small world first (a tool, an agent with one step through the fake LLM, a block, a
folder with an uploaded file, an archive with a passage, an identity, a group, a conversation,
an MCP stdio server when --mcp-python is given), then calls each GET operation with its path
parameters filled from that world and only the query parameters the document marks required,
and prints one line per operation: `status  METHOD path  operation_id  (detail)`. Operations
answering 5xx, or 4xx for objects that exist, are candidates for the "known server bug" list;
the end of the output lists them. Exit status 0 (it is a report, not a test).

Run it with the rig (LETTA_BASE_URL and FAKE_LLM_BASE_URL are set there):
  LIVE_COVERAGE_GATE=0 LIVE_TEST_CMD='python3 tests/live/survey.py --spec spec/letta-0.16.8/openapi.json \
      --mcp-python target/letta-venv-0.16.8/bin/python' tests/live/run --letta 0.16.8
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
V1_HEADERS = {"X-Stainless-Package-Version": "1.0.0"}

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


class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, body=None, headers=None, timeout=180):
        hdrs = {"Accept": "application/json"}
        data = None
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
        except Exception as err:  # timeouts, resets
            return 0, f"{type(err).__name__}: {err}"
        try:
            return status, json.loads(payload.decode("utf-8") or "null")
        except ValueError:
            return status, payload.decode("utf-8", "replace")

    def must(self, method, path, body=None, headers=None):
        status, obj = self.call(method, path, body, headers)
        if status != 200:
            raise SystemExit(f"setup failed: {method} {path}: HTTP {status}: {str(obj)[:500]}")
        return obj


def multipart(field, filename, content, content_type="text/plain"):
    boundary = "----letta-survey-" + uuid.uuid4().hex
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode("utf-8") + content + f"\r\n--{boundary}--\r\n".encode("utf-8")
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def build_world(api, mcp_python):
    sfx = uuid.uuid4().hex[:8]
    w = {}
    tool = api.must("POST", "/v1/tools/", {"source_code": TOOL_SOURCE, "description": "Add two numbers."})
    w["tool_id"] = tool["id"]
    agent = api.must("POST", "/v1/agents/", {
        "name": f"survey-{sfx}", "model": "openai-proxy/fake-model", "embedding": "openai/text-embedding-3-small",
        "tool_ids": [tool["id"]], "tags": ["survey"],
    })
    w["agent_id"] = agent["id"]
    labels = [b.get("label") for b in (agent.get("memory") or {}).get("blocks") or agent.get("blocks") or []]
    w["block_label"] = labels[0] if labels else "persona"
    reply = api.must("POST", f"/v1/agents/{agent['id']}/messages",
                     {"messages": [{"role": "user", "content": "FAKE_LLM_TOOL:add_numbers {\"a\": 1, \"b\": 2}"}]})
    msgs = reply.get("messages") or []
    if msgs:
        w["message_id"] = msgs[-1]["id"]
        w["run_id"] = msgs[-1].get("run_id")
        w["step_id"] = msgs[-1].get("step_id")
    block = api.must("POST", "/v1/blocks/", {"label": "survey_notes", "value": "survey"})
    w["block_id"] = block["id"]
    folder = api.must("POST", "/v1/folders/", {"name": f"survey-folder-{sfx}", "embedding": "openai/text-embedding-3-small"})
    w["folder_id"] = w["source_id"] = folder["id"]
    w["folder_name"] = w["source_name"] = folder["name"]
    body, hdrs = multipart("file", "survey.txt", b"The quick brown fox jumps over the lazy dog.\n")
    fm = api.must("POST", f"/v1/folders/{folder['id']}/upload", body, hdrs)
    w["file_id"] = fm["id"]
    for _ in range(60):
        files = api.must("GET", f"/v1/folders/{folder['id']}/files")
        if all(f.get("processing_status") in ("completed", "error") for f in files):
            break
        time.sleep(0.5)
    archive = api.must("POST", "/v1/archives/", {"name": f"survey-archive-{sfx}", "embedding": "openai/text-embedding-3-small"})
    w["archive_id"] = archive["id"]
    api.must("POST", f"/v1/archives/{archive['id']}/passages", {"text": "The archive remembers the fox."})
    ident = api.must("POST", "/v1/identities/", {"identifier_key": f"survey-{sfx}", "name": "Survey", "identity_type": "user"})
    w["identity_id"] = ident["id"]
    group = api.must("POST", "/v1/groups/", {"agent_ids": [agent["id"]], "description": "survey group"})
    w["group_id"] = group["id"]
    status, conv = api.call("POST", f"/v1/conversations/?agent_id={agent['id']}", {})
    if status == 200 and isinstance(conv, dict):
        w["conversation_id"] = conv.get("id")
    sbx = api.call("GET", "/v1/sandbox-config/")[1]
    if isinstance(sbx, list) and sbx:
        w["sandbox_config_id"] = sbx[0]["id"]
    provs = api.call("GET", "/v1/providers/")[1]
    if isinstance(provs, list) and provs:
        w["provider_id"] = provs[0]["id"]
    jobs = api.call("GET", "/v1/jobs/")[1]
    if isinstance(jobs, list) and jobs:
        w["job_id"] = jobs[0]["id"]
    if mcp_python:
        # Letta runs the command from its own cwd: the interpreter's path must be absolute
        srv = api.must("POST", "/v1/mcp-servers/", {"server_name": f"survey-mcp-{sfx}", "config": {
            "mcp_server_type": "stdio", "command": os.path.abspath(mcp_python),
            "args": [os.path.join(HERE, "mcp_stdio_server.py")]}})
        w["mcp_server_id"] = srv["id"]
        w["mcp_server_name"] = srv["server_name"]
        mcp_tools = api.must("GET", f"/v1/mcp-servers/{srv['id']}/tools")
        if mcp_tools:
            w["mcp_tool_id"] = mcp_tools[0]["id"]
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--base-url", default=os.environ.get("LETTA_BASE_URL", "http://127.0.0.1:8283"))
    ap.add_argument("--fake-llm-url", default=os.environ.get("FAKE_LLM_BASE_URL"))
    ap.add_argument("--mcp-python", help="interpreter with the mcp package, to register mcp_stdio_server.py")
    ap.add_argument("--json", help="also write the results as JSON here")
    args = ap.parse_args()
    spec = json.load(open(args.spec, encoding="utf-8"))
    api = Api(args.base_url)
    world = build_world(api, args.mcp_python)
    print("world: " + json.dumps(world))
    results, suspicious = [], []
    for path, item in spec["paths"].items():
        op = item.get("get")
        if not op:
            continue
        names = re.findall(r"{(\w+)}", path)
        if any(not world.get(n) for n in names):
            results.append({"op": op["operationId"], "path": path, "status": None, "detail": "no value for a path parameter"})
            print(f"skip  GET {path}  {op['operationId']}  (no value for a path parameter)")
            continue
        url = path
        for n in names:
            value = world[n]
            if n == "tool_id" and path.startswith("/v1/mcp-servers/") and world.get("mcp_tool_id"):
                value = world["mcp_tool_id"]  # a tool of that MCP server
            url = url.replace("{" + n + "}", urllib.parse.quote(str(value), safe=""))
        query = {}
        for p in op.get("parameters", []):
            if p.get("in") == "query" and p.get("required"):
                query[p["name"]] = world.get(p["name"], "x")
        if query:
            url += "?" + urllib.parse.urlencode(query)
        t0 = time.time()
        status, body = api.call("GET", url, headers=V1_HEADERS, timeout=60)
        took = time.time() - t0
        detail = "" if status == 200 else str(body)[:240].replace("\n", " ")
        results.append({"op": op["operationId"], "path": path, "url": url, "status": status, "seconds": round(took, 2),
                        "detail": detail})
        print(f"{status:<4}  GET {path}  {op['operationId']}  ({took:.1f}s) {detail}")
        if status == 0 or status >= 500 or (400 <= status < 500 and status not in (404,)):
            suspicious.append(f"{status} GET {path} ({op['operationId']}): {detail}")
    print("\nnon-200 other than 404 (check against the server source):")
    for line in suspicious:
        print("  " + line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"world": world, "results": results}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

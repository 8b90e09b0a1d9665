#!/usr/bin/env python3
"""A tiny fake OpenAI-compatible endpoint for the Letta live tests (stdlib only).

Routes (all under /v1):
  POST /v1/chat/completions  answers with a `send_message` tool call when the request
                             lists that tool (or names a tool in `tool_choice`), else with
                             plain content; `"stream": true` answers SSE
                             `chat.completion.chunk` events ending in `data: [DONE]`.
  POST /v1/embeddings        deterministic unit vectors (default dimension 1536, or the
                             request's `dimensions`); `input` may be a string or a list;
                             `encoding_format: "base64"` is honoured (the openai client's default).
  GET  /v1/models            lists `fake-model` and `fake-embed`.

Markers in the last user message (for tests that need more than a reply; Letta 0.16.8's default
`letta_v1_agent` has no `send_message` tool and replies with plain content):
  FAKE_LLM_FAIL:<status>     the completion answers HTTP <status> (400-599) with an OpenAI error
                             body, so the agent step fails (a stream then ends with `event: error`).
  FAKE_LLM_TOOL:<name> [ARGS] the completion calls tool <name> (when the request lists it) with the
                             JSON object ARGS (default: required parameters filled with defaults);
                             once the tool's result is the last message, the answer is plain content
                             `Tool <name> returned: <result>`.

Usage: fake_llm.py [--host 127.0.0.1] [--port 0] [--port-file FILE]
Prints the bound port on stdout. Logs requests to stderr only when FAKE_LLM_DEBUG is set.
"""

import argparse
import base64
import hashlib
import json
import math
import os
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEBUG = bool(os.environ.get("FAKE_LLM_DEBUG"))
DEFAULT_DIM = 1536
CHAT_MODEL = "fake-model"
EMBED_MODEL = "fake-embed"
_counter_lock = threading.Lock()
_counter = 0


def log(*args):
    if DEBUG:
        print("[fake_llm]", *args, file=sys.stderr, flush=True)


def next_id(prefix):
    global _counter
    with _counter_lock:
        _counter += 1
        n = _counter
    return f"{prefix}-{n:06d}"


def text_of(content):
    """Flatten an OpenAI message `content` (string, list of parts, or None) to text."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict):
                parts.append(str(part.get("text", "")))
            else:
                parts.append(str(part))
        return "".join(parts)
    return str(content)


def last_user_text(messages):
    for msg in reversed(messages or []):
        if isinstance(msg, dict) and msg.get("role") == "user":
            text = text_of(msg.get("content"))
            # Letta wraps user input as a JSON packet: {"type": "user_message", "message": ...}
            try:
                packed = json.loads(text)
                if isinstance(packed, dict) and isinstance(packed.get("message"), str):
                    return packed["message"]
            except (ValueError, TypeError):
                pass
            return text
    return ""


def last_message(messages):
    for msg in reversed(messages or []):
        if isinstance(msg, dict):
            return msg
    return {}


def marker(text, name):
    """The rest of the line after `name:` in text, or None."""
    key = name + ":"
    at = text.find(key)
    if at < 0:
        return None
    return text[at + len(key):].split("\n", 1)[0].strip()


def make_reply(messages):
    said = last_user_text(messages).strip()
    if not said:
        return "Hello from the fake LLM."
    return f"You said: {said[:200]}"


def pick_tool(body):
    """Return the tool definition (`function` object) to call, or None for plain content."""
    tools = body.get("tools") or []
    functions = {}
    for tool in tools:
        if isinstance(tool, dict):
            fn = tool.get("function") or {}
            if fn.get("name"):
                functions[fn["name"]] = fn
    for fn in body.get("functions") or []:  # legacy `functions` field
        if isinstance(fn, dict) and fn.get("name"):
            functions.setdefault(fn["name"], fn)
    if not functions:
        return None
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name in functions:
            return functions[name]
    if choice == "none":
        return None
    if "send_message" in functions:
        return functions["send_message"]
    if choice == "required":
        return next(iter(functions.values()))
    return None


def fill_arguments(fn, reply):
    """Arguments for a call to `fn`: `message` gets the reply, other required fields a default."""
    params = fn.get("parameters") or {}
    props = params.get("properties") or {}
    required = params.get("required") or []
    args = {}
    for name in list(props) if props else ["message"]:
        schema = props.get(name) or {}
        if name == "message":
            args[name] = reply
        elif name == "inner_thoughts":
            args[name] = "The user spoke; I will answer with send_message."
        elif name == "request_heartbeat":
            args[name] = False
        elif name in required:
            typ = schema.get("type")
            args[name] = {"string": "", "integer": 0, "number": 0, "boolean": False,
                          "array": [], "object": {}}.get(typ if isinstance(typ, str) else "", None)
    if "message" not in args and not props:
        args["message"] = reply
    return args


def usage_for(body, completion_text):
    prompt = sum(len(text_of(m.get("content")).split()) for m in body.get("messages") or [] if isinstance(m, dict))
    completion = max(1, len(completion_text.split()))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def embedding_vector(text, dim):
    """A deterministic unit vector derived from sha256 of the text."""
    values = []
    block = 0
    while len(values) < dim:
        digest = hashlib.sha256(f"{block}:{text}".encode("utf-8")).digest()
        for i in range(0, len(digest), 2):
            values.append((int.from_bytes(digest[i:i + 2], "little") / 65535.0) * 2.0 - 1.0)
        block += 1
    values = values[:dim]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-llm/1.0"

    def log_message(self, fmt, *args):  # silence default access log unless debugging
        log(self.address_string(), fmt % args)

    # -- helpers ---------------------------------------------------------------
    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        return json.loads(raw.decode("utf-8"))

    def _send_json(self, status, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _path(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        return path if path.startswith("/v1") else "/v1" + path

    # -- routes ----------------------------------------------------------------
    def do_GET(self):
        path = self._path()
        if path == "/v1/models":
            now = int(time.time())
            data = [
                {"id": CHAT_MODEL, "object": "model", "created": now, "owned_by": "fake",
                 "context_length": 8192, "max_model_len": 8192},
                {"id": EMBED_MODEL, "object": "model", "created": now, "owned_by": "fake"},
            ]
            self._send_json(200, {"object": "list", "data": data})
        elif path in ("/v1/health", "/v1"):
            self._send_json(200, {"status": "ok"})
        else:
            self._send_json(404, {"error": {"message": f"no route GET {self.path}", "type": "not_found"}})

    def do_POST(self):
        path = self._path()
        try:
            body = self._read_json()
        except ValueError as exc:
            self._send_json(400, {"error": {"message": f"bad json: {exc}", "type": "invalid_request_error"}})
            return
        log("POST", path, json.dumps(body)[:2000])
        if path == "/v1/chat/completions":
            self._chat(body)
        elif path == "/v1/embeddings":
            self._embeddings(body)
        else:
            self._send_json(404, {"error": {"message": f"no route POST {self.path}", "type": "not_found"}})

    def _chat(self, body):
        model = body.get("model") or CHAT_MODEL
        said = last_user_text(body.get("messages"))
        fail = marker(said, "FAKE_LLM_FAIL")
        if fail is not None:
            status = int(fail.split()[0]) if fail.split() and fail.split()[0].isdigit() else 500
            status = status if 400 <= status <= 599 else 500
            self._send_json(status, {"error": {"message": f"fake LLM failure {status} (FAKE_LLM_FAIL marker)",
                                               "type": "invalid_request_error" if status < 500 else "server_error",
                                               "param": None, "code": "fake_failure"}})
            return
        reply = make_reply(body.get("messages"))
        fn = pick_tool(body)
        forced_args = None
        wanted = marker(said, "FAKE_LLM_TOOL")
        if wanted:
            name, _, rest = wanted.partition(" ")
            last = last_message(body.get("messages"))
            if last.get("role") in ("tool", "function"):
                # the tool has run: report its result in plain content and stop
                fn = None
                reply = f"Tool {name} returned: {text_of(last.get('content'))[:500]}"
            else:
                tools = {(t.get("function") or {}).get("name"): t.get("function") for t in body.get("tools") or []
                         if isinstance(t, dict)}
                if name in tools:
                    fn = tools[name]
                    try:
                        forced_args = json.loads(rest) if rest.strip() else None
                    except ValueError:
                        forced_args = None
        cid = next_id("chatcmpl-fake")
        created = int(time.time())
        if fn is not None:
            call_id = next_id("call_fake")
            arguments = json.dumps(forced_args if isinstance(forced_args, dict) else fill_arguments(fn, reply))
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": fn["name"], "arguments": arguments}}]}
            finish = "tool_calls"
            completion_text = arguments
        else:
            call_id = arguments = None
            message = {"role": "assistant", "content": reply}
            finish = "stop"
            completion_text = reply
        usage = usage_for(body, completion_text)

        if not body.get("stream"):
            self._send_json(200, {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "system_fingerprint": "fake",
                "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                "usage": usage,
            })
            return

        def chunk(delta, finish_reason=None, with_usage=None):
            obj = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                   "system_fingerprint": "fake",
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]}
            if with_usage is not None:
                obj["choices"] = []
                obj["usage"] = with_usage
            return obj

        if fn is not None:
            # Like OpenAI: the first chunk carries the role and the tool call's id and name.
            events = [chunk({"role": "assistant", "content": None,
                             "tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                             "function": {"name": fn["name"], "arguments": ""}}]})]
            pieces = [arguments[i:i + 16] for i in range(0, len(arguments), 16)] or [""]
            for piece in pieces:
                events.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
        else:
            events = [chunk({"role": "assistant", "content": ""})]
            for i in range(0, len(reply), 8):
                events.append(chunk({"content": reply[i:i + 8]}))
        events.append(chunk({}, finish_reason=finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append(chunk({}, with_usage=usage))

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for ev in events:
            self.wfile.write(b"data: " + json.dumps(ev).encode("utf-8") + b"\n\n")
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _embeddings(self, body):
        inputs = body.get("input")
        if inputs is None:
            self._send_json(400, {"error": {"message": "missing input", "type": "invalid_request_error"}})
            return
        # A string, a list of strings, a list of tokens, or a list of token lists.
        if isinstance(inputs, (str, int)) or (isinstance(inputs, list) and inputs and isinstance(inputs[0], int)):
            inputs = [inputs]
        dim = body.get("dimensions") or int(os.environ.get("FAKE_LLM_EMBED_DIM", DEFAULT_DIM))
        b64 = body.get("encoding_format") == "base64"
        data = []
        for i, item in enumerate(inputs):
            text = item if isinstance(item, str) else json.dumps(item)
            vec = embedding_vector(text, int(dim))
            emb = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode("ascii") if b64 else vec
            data.append({"object": "embedding", "index": i, "embedding": emb})
        tokens = sum(len((x if isinstance(x, str) else json.dumps(x)).split()) for x in inputs)
        self._send_json(200, {"object": "list", "data": data, "model": body.get("model") or EMBED_MODEL,
                              "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the bound port to this file")
    args = parser.parse_args()

    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()

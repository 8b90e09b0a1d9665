#!/usr/bin/env python3
"""A minimal MCP server on stdio for the Letta 0.16.8 live tests.

Tools:
  add(a: int, b: int) -> int    the sum of two integers
  echo(text: str) -> str        the text, unchanged

Run it with an interpreter that has the `mcp` package (the Letta 0.16.8 venv has it:
`target/letta-venv-0.16.8/bin/python tests/live/mcp_stdio_server.py`); Letta starts it itself when a
stdio MCP server is registered with that command and this path as its argument, e.g.

  POST /v1/mcp-servers/
  {"server_name": "live-stdio", "config": {"mcp_server_type": "stdio",
   "command": "<venv>/bin/python", "args": ["<repo>/tests/live/mcp_stdio_server.py"]}}

It talks MCP over stdin/stdout only (no network) and exits when stdin closes.
"""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("letta-live-stdio")


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two integers and return the sum."""
    return a + b


@mcp.tool()
def echo(text: str) -> str:
    """Return the given text unchanged."""
    return text


if __name__ == "__main__":
    mcp.run(transport="stdio")

"""A tiny stdio MCP server for the 0.16.8 live suite (platform tests).

Usage: mcp_stdio_platform.py [SUFFIX]
Serves two deterministic tools, `add_<SUFFIX>` and `echo_<SUFFIX>` (SUFFIX defaults to `numbers`);
the suffix keeps tool names unique per run (Letta's tool names are unique per organization).
"""

import sys

from mcp.server.fastmcp import FastMCP

SUFFIX = sys.argv[1] if len(sys.argv) > 1 else "numbers"

mcp = FastMCP("live-platform")


@mcp.tool(name=f"add_{SUFFIX}")
def add(a: int, b: int) -> str:
    """Add two integers and return the sum as text.

    Args:
        a: The first addend.
        b: The second addend.
    """
    return str(a + b)


@mcp.tool(name=f"echo_{SUFFIX}")
def echo(text: str) -> str:
    """Echo the given text back, prefixed with 'echo: '.

    Args:
        text: The text to echo.
    """
    return f"echo: {text}"


if __name__ == "__main__":
    mcp.run(transport="stdio")

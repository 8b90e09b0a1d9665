//! A scripted HTTP/1.1 mock server on 127.0.0.1 for runtime tests (tokio only, no extra dependencies).
#![allow(missing_docs)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path with query, as sent on the request line.
    pub target: String,
    /// Header names in lowercase, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    /// Body chunks, each sent after its delay.
    chunks: Vec<(Duration, Vec<u8>)>,
    /// Wait before sending anything.
    delay: Duration,
    /// Send the body with chunked encoding (otherwise Content-Length).
    chunked: bool,
    /// Close the connection after the chunks, without finishing the body.
    cut: bool,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            chunks: Vec::new(),
            delay: Duration::ZERO,
            chunked: false,
            cut: false,
        }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Reply::new(status)
            .header("content-type", "application/json")
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        self.chunks = vec![(Duration::ZERO, body.as_ref().to_vec())];
        self
    }

    /// Adds a body chunk sent after `delay` (switches to chunked encoding).
    pub fn chunk(mut self, delay: Duration, data: impl AsRef<[u8]>) -> Self {
        self.chunked = true;
        self.chunks.push((delay, data.as_ref().to_vec()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Closes the connection mid-body.
    pub fn cut(mut self) -> Self {
        self.cut = true;
        self
    }

    /// A server-sent events response sent in the given chunks.
    pub fn sse(chunks: &[&str]) -> Self {
        let mut r = Reply::new(200).header("content-type", "text/event-stream");
        for c in chunks {
            r = r.chunk(Duration::ZERO, c);
        }
        r
    }
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// The server; it runs until the test's runtime ends.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl MockServer {
    pub async fn start() -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, st.clone()));
            }
        });
        MockServer { addr, state }
    }

    /// Queues a reply.
    pub fn push(&self, reply: Reply) -> &Self {
        self.state.lock().unwrap().replies.push_back(reply);
        self
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }
}

async fn serve(mut sock: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    loop {
        let Some(req) = read_request(&mut sock, &mut buf).await else {
            return;
        };
        let reply = {
            let mut st = state.lock().unwrap();
            st.requests.push(req);
            st.replies.pop_front()
        };
        let reply = reply.unwrap_or_else(|| Reply::new(500).body("no scripted reply"));
        if !write_reply(&mut sock, reply).await {
            return;
        }
    }
}

/// Reads bytes until `buf` holds `n` bytes; false on EOF.
async fn fill(sock: &mut TcpStream, buf: &mut Vec<u8>, n: usize) -> bool {
    while buf.len() < n {
        let mut tmp = [0u8; 8192];
        match sock.read(&mut tmp).await {
            Ok(0) | Err(_) => return false,
            Ok(k) => buf.extend_from_slice(&tmp[..k]),
        }
    }
    true
}

/// Reads until `pat` occurs in `buf[from..]`; returns its position.
async fn fill_until(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
    from: usize,
    pat: &[u8],
) -> Option<usize> {
    loop {
        if let Some(p) = buf[from..].windows(pat.len()).position(|w| w == pat) {
            return Some(from + p);
        }
        let len = buf.len();
        if !fill(sock, buf, len + 1).await {
            return None;
        }
    }
}

async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let end = fill_until(sock, buf, 0, b"\r\n\r\n").await?;
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    buf.drain(..end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        loop {
            let line_end = fill_until(sock, buf, 0, b"\r\n").await?;
            let size_line = String::from_utf8_lossy(&buf[..line_end]).to_string();
            let size = usize::from_str_radix(size_line.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            if size == 0 {
                let t = fill_until(sock, buf, 0, b"\r\n").await?;
                buf.drain(..t + 2);
                break;
            }
            if !fill(sock, buf, size + 2).await {
                return None;
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
        }
    } else if let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        if !fill(sock, buf, len).await {
            return None;
        }
        body = buf.drain(..len).collect();
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

async fn write_reply(sock: &mut TcpStream, reply: Reply) -> bool {
    tokio::time::sleep(reply.delay).await;
    let reason = match reply.status {
        200 => "OK",
        307 => "Temporary Redirect",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{}: {}\r\n", n, v));
    }
    let total: usize = reply.chunks.iter().map(|(_, c)| c.len()).sum();
    if reply.chunked {
        head.push_str("transfer-encoding: chunked\r\n");
    } else {
        // A cut body announces more than it sends.
        let len = if reply.cut { total + 100 } else { total };
        head.push_str(&format!("content-length: {}\r\n", len));
    }
    head.push_str("\r\n");
    if sock.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    for (delay, data) in &reply.chunks {
        tokio::time::sleep(*delay).await;
        let ok = if reply.chunked {
            let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
            framed.extend_from_slice(data);
            framed.extend_from_slice(b"\r\n");
            if data.is_empty() {
                true
            } else {
                sock.write_all(&framed).await.is_ok()
            }
        } else {
            sock.write_all(data).await.is_ok()
        };
        if !ok || sock.flush().await.is_err() {
            return false;
        }
    }
    if reply.cut {
        let _ = sock.shutdown().await;
        return false;
    }
    if reply.chunked && sock.write_all(b"0\r\n\r\n").await.is_err() {
        return false;
    }
    true
}

//! Cursor pagination over list endpoints: the next cursor is the last item's id, sent as the cursor
//! parameter that continues in the list's order (`after` ascending, `before` descending).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;

/// The wire string of an enum value (`asc` for an order enum), used to follow a request's ordering.
pub fn wire_name<T: serde::Serialize + ?Sized>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Streams the items of every page of a list operation.
///
/// - `first`: the request builder of the first page (cloned for every following page).
/// - `limit`: the page size asked for, when known; a shorter page is the last one.
/// - `reverse_pages`: each page arrives in the opposite order of the walk (a server that presents every page
///   oldest first, even when listing newest first): each page is reversed before it is yielded and before
///   its last item gives the cursor.
/// - `set_after`: returns the builder with its next-page cursor set (`after` or `before`, by order).
/// - `send`: sends one page.
/// - `item_id`: the cursor of an item (its `id`).
///
/// Pages are fetched lazily, one at a time. The stream ends after an empty page, a page shorter than `limit`,
/// a last item without id, or a cursor that does not advance (that repeated page is not yielded again). An
/// error is yielded once and ends the stream.
///
/// The returned stream is `Unpin` (and `Send` when the builder and future are), so `StreamExt::next` can be
/// called on it directly.
pub fn paginate<B, T, Fut, A, S, I>(
    first: B,
    limit: Option<i64>,
    reverse_pages: bool,
    set_after: A,
    send: S,
    item_id: I,
) -> impl Stream<Item = Result<T, Error>> + Unpin
where
    B: Clone,
    Fut: Future<Output = Result<Vec<T>, Error>>,
    A: FnMut(B, String) -> B,
    S: FnMut(B) -> Fut,
    I: Fn(&T) -> Option<String>,
{
    Pages {
        next: Some(first),
        current: None,
        inflight: None,
        buffer: VecDeque::new(),
        limit,
        reverse_pages,
        last_cursor: None,
        set_after,
        send,
        item_id,
        done: false,
    }
}

/// The state of [`paginate`].
struct Pages<B, T, Fut, A, S, I> {
    next: Option<B>,
    current: Option<B>,
    inflight: Option<Pin<Box<Fut>>>,
    buffer: VecDeque<T>,
    limit: Option<i64>,
    reverse_pages: bool,
    last_cursor: Option<String>,
    set_after: A,
    send: S,
    item_id: I,
    done: bool,
}

impl<B, T, Fut, A, S, I> Unpin for Pages<B, T, Fut, A, S, I> {}

impl<B, T, Fut, A, S, I> Pages<B, T, Fut, A, S, I>
where
    B: Clone,
    A: FnMut(B, String) -> B,
    I: Fn(&T) -> Option<String>,
{
    /// Records a received page and decides whether another one follows.
    fn accept(&mut self, mut items: Vec<T>) {
        if self.reverse_pages {
            items.reverse();
        }
        if items.is_empty() {
            self.done = true;
            return;
        }
        let short = self.limit.is_some_and(|l| l > 0 && (items.len() as i64) < l);
        let cursor = items.last().and_then(|item| (self.item_id)(item));
        match cursor {
            Some(c) if self.last_cursor.as_deref() == Some(c.as_str()) => {
                self.done = true;
                return;
            }
            Some(c) => {
                match (short, self.current.take()) {
                    (false, Some(builder)) => self.next = Some((self.set_after)(builder, c.clone())),
                    _ => self.done = true,
                }
                self.last_cursor = Some(c);
            }
            None => self.done = true,
        }
        self.buffer.extend(items);
    }
}

impl<B, T, Fut, A, S, I> Stream for Pages<B, T, Fut, A, S, I>
where
    B: Clone,
    Fut: Future<Output = Result<Vec<T>, Error>>,
    A: FnMut(B, String) -> B,
    S: FnMut(B) -> Fut,
    I: Fn(&T) -> Option<String>,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            if this.inflight.is_none() {
                match this.next.take() {
                    Some(builder) => {
                        this.current = Some(builder.clone());
                        this.inflight = Some(Box::pin((this.send)(builder)));
                    }
                    None => {
                        this.done = true;
                        continue;
                    }
                }
            }
            let Some(fut) = this.inflight.as_mut() else {
                continue;
            };
            match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.inflight = None;
                    match result {
                        Ok(items) => this.accept(items),
                        Err(e) => {
                            this.done = true;
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                }
            }
        }
    }
}

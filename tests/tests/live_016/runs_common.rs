//! Helpers shared by the `runs_*` modules: reading ids out of replies and matching typed errors.

use letta_api::Error;
use letta_api::models as m;

/// Whether `err` is an HTTP error answer with this status.
pub fn is_status(err: &Error, status: u16) -> bool {
    matches!(err, Error::Api(e) if e.status() == status)
}

/// The text of an HTTP error answer (empty for other errors).
pub fn error_text(err: &Error) -> String {
    match err {
        Error::Api(e) => e.text(),
        other => other.to_string(),
    }
}

/// The id of a message of any kind.
pub fn message_id(msg: &m::LettaMessageUnion) -> Option<&str> {
    use m::LettaMessageUnion as U;
    Some(match msg {
        U::SystemMessage(x) => &x.id,
        U::UserMessage(x) => &x.id,
        U::ReasoningMessage(x) => &x.id,
        U::HiddenReasoningMessage(x) => &x.id,
        U::ToolCallMessage(x) => &x.id,
        U::ToolReturnMessage(x) => &x.id,
        U::AssistantMessage(x) => &x.id,
        U::ApprovalRequestMessage(x) => &x.id,
        U::ApprovalResponseMessage(x) => &x.id,
        U::SummaryMessage(x) => &x.id,
        U::EventMessage(x) => &x.id,
        // A raw message, or a kind added to the SDK after this suite was written.
        _ => return None,
    })
}

/// The text of a user message (`None` for other kinds or content lists).
pub fn user_text(msg: &m::LettaMessageUnion) -> Option<&str> {
    match msg {
        m::LettaMessageUnion::UserMessage(u) => match &u.content {
            m::UserMessageContent::String(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The text of an assistant message (`None` for other kinds or content lists).
pub fn assistant_text(msg: &m::LettaMessageUnion) -> Option<&str> {
    match msg {
        m::LettaMessageUnion::AssistantMessage(a) => match &a.content {
            m::AssistantMessageContent::String(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The assistant message of a reply, with its run and step ids.
pub struct Turn {
    pub message_id: String,
    pub run_id: String,
    pub step_id: String,
    pub text: String,
}

/// The (first) assistant message of a reply; panics when there is none or it lacks run/step ids.
pub fn assistant_turn(reply: &m::LettaResponse) -> Turn {
    let a = reply
        .messages
        .iter()
        .find_map(|msg| match msg {
            m::LettaMessageUnion::AssistantMessage(a) => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no assistant message in {:?}", reply.messages));
    Turn {
        message_id: a.id.clone(),
        run_id: a.run_id.clone().expect("assistant message has a run_id"),
        step_id: a.step_id.clone().expect("assistant message has a step_id"),
        text: match &a.content {
            m::AssistantMessageContent::String(s) => s.clone(),
            other => format!("{other:?}"),
        },
    }
}

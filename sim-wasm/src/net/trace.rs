//! A structured record of one connection attempt, for the browser's packet view and the
//! grader's explanations.

/// One connection attempt (a DNS lookup, a curl, a ping) and the steps it took.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Trace {
    pub steps: Vec<TraceStep>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TraceStep {
    pub kind: String,
    pub detail: String,
}

//! kubectl 1.32: argument parsing, verbs and printers, byte-identical to the real client.

use crate::commands::World;
use crate::shell::{CommandOutput, Invocation};

pub fn run(_world: &mut World, _invocation: Invocation<'_>) -> CommandOutput {
    CommandOutput {
        stderr: "error: not yet simulated\n".to_owned(),
        exit_code: 1,
        ..Default::default()
    }
}

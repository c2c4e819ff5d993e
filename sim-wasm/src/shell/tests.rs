//! Unit tests of the shell through `Session::exec` with a fake host that records what it
//! was asked to run.

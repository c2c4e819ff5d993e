//! Black-box tests of the server: HTTP in-process (`Router::oneshot`) and the built binary
//! (`server grade`, `server check`, `server serve`). One test binary, one module per area.
//!
//! The database is a fresh SQLite file per test; when `DATABASE_URL` is a `postgres://` URL,
//! each test gets its own fresh PostgreSQL database on that server instead.

mod accounts;
mod cli;
mod grading;
mod health;
mod helpers;
mod instructor;
mod lessons;
mod lessons_walk;

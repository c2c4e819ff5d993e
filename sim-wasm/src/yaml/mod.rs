//! Manifest text → JSON values, as kubectl converts YAML to JSON before sending it (so a
//! repeated key silently replaces the earlier one), with positions and budgets; and JSON
//! values → YAML text as `kubectl -o yaml` prints it.

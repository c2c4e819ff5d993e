//! Exercise checks evaluated on a settled cluster, and the report the grader returns.

-- A learner is whoever holds a session (anonymous until they sign up); a submission is one
-- graded answer with its full report, kept for the learner's history and progress.
create table learner (
    learner_id text not null constraint learner_pkey primary key,
    created_at bigint not null
);

create table submission (
    submission_id bigserial constraint submission_pkey primary key,
    learner_id text not null
        constraint submission_learner_id_fkey references learner (learner_id) on delete cascade,
    exercise_id text not null,
    answer text not null,
    status text not null constraint submission_status_check check (status in ('pass', 'fail', 'error')),
    report text not null,
    created_at bigint not null
);

create index submission_learner_exercise_idx on submission (learner_id, exercise_id, submission_id);
create index submission_exercise_status_idx on submission (exercise_id, status);

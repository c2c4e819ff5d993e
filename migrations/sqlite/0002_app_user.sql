-- Optional accounts. A user adopts the learner id of the session that signed up, so the
-- progress made anonymously is kept; instructors are users with is_instructor = 1 (made by
-- `server instructor NAME`).
create table app_user (
    app_user_id integer primary key autoincrement,
    learner_id text not null
        constraint app_user_learner_id_key unique
        constraint app_user_learner_id_fkey references learner (learner_id) on delete cascade,
    username text not null constraint app_user_username_key unique,
    password_hash text not null,
    is_instructor bigint not null default 0,
    created_at bigint not null
);

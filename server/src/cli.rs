//! The command line: `server [serve] [--bind ADDR] [--content DIR] [--static DIR]`,
//! `server grade EXERCISE FILE [--content DIR]`, `server check [--content DIR]`.
//! A small hand-written parser: three subcommands do not justify clap's build time.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::config::Config;

pub const USAGE: &str = "\
사용법:
  server [serve] [--bind ADDR] [--content DIR] [--static DIR] [--no-rate-limit] [--dev]
                                                               강의 서버 실행 (기본 127.0.0.1:8080, --dev: content/ 변경 시 다시 읽기)
  server grade <exercise-id> <file.yaml> [--content DIR]       답안 채점 (종료 코드 0 통과, 1 실패, 2 오류)
  server check [--content DIR]                                 강의 내용 전체 검사
  server instructor <username>                                 강사 계정 만들기/지정 (비밀번호: 표준 입력 또는 NETLAB_PASSWORD)
환경 변수: DATABASE_URL (기본 sqlite://data/netlab.db?mode=rwc)";

#[derive(Debug, PartialEq)]
pub enum Command {
    Serve(Box<Config>),
    Grade {
        content_dir: PathBuf,
        exercise: String,
        file: PathBuf,
    },
    Check {
        content_dir: PathBuf,
    },
    Instructor {
        database_url: String,
        username: String,
    },
    Help,
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String], database_url: Option<String>) -> Result<Command, String> {
    let mut config = Config::new(database_url);
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} 옵션에 값이 필요합니다"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--bind" => {
                let text = value("--bind")?;
                config.bind = text.parse::<SocketAddr>().map_err(|_| {
                    format!("--bind 주소가 올바르지 않습니다: {text} (예: 127.0.0.1:8080)")
                })?;
            }
            "--content" => config.content_dir = PathBuf::from(value("--content")?),
            "--static" => config.static_dir = PathBuf::from(value("--static")?),
            "--no-rate-limit" => config.rate_limits = false,
            "--dev" => config.watch_content = true,
            other if other.starts_with('-') => return Err(format!("알 수 없는 옵션: {other}")),
            other => positional.push(other.to_owned()),
        }
    }
    match positional.as_slice() {
        [] => Ok(Command::Serve(Box::new(config))),
        [serve] if serve == "serve" => Ok(Command::Serve(Box::new(config))),
        [grade, exercise, file] if grade == "grade" => Ok(Command::Grade {
            content_dir: config.content_dir,
            exercise: exercise.clone(),
            file: PathBuf::from(file),
        }),
        [check] if check == "check" => Ok(Command::Check {
            content_dir: config.content_dir,
        }),
        [instructor, username] if instructor == "instructor" => Ok(Command::Instructor {
            database_url: config.database_url,
            username: username.clone(),
        }),
        [grade, ..] if grade == "grade" => {
            Err("grade에는 연습문제 id와 답안 파일이 필요합니다".to_owned())
        }
        other => Err(format!("알 수 없는 명령: {}", other.join(" "))),
    }
}

/// `server grade EXERCISE FILE`: prints the Korean report; exit 0 pass, 1 fail, 2 error
/// (also for an unknown exercise or an unreadable file).
pub fn grade(
    content_dir: &std::path::Path,
    exercise_id: &str,
    file: &std::path::Path,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let course = match crate::content::Course::load(content_dir) {
        Ok(course) => course,
        Err(errors) => {
            eprint!("강의 내용에 문제가 있습니다:\n{errors}");
            return ExitCode::from(2);
        }
    };
    let Some(entry) = course.exercise(exercise_id) else {
        eprintln!("연습문제 '{exercise_id}'을(를) 찾을 수 없습니다.");
        return ExitCode::from(2);
    };
    let answer = match std::fs::read_to_string(file) {
        Ok(answer) => answer,
        Err(error) => {
            eprintln!(
                "답안 파일 {}을(를) 읽을 수 없습니다: {error}",
                file.display()
            );
            return ExitCode::from(2);
        }
    };
    let report = sim_wasm::grade::grade(&entry.exercise, &answer);
    print!("{}", crate::grading::render_text(exercise_id, &report));
    ExitCode::from(crate::grading::exit_code(&report))
}

/// `server instructor NAME`: creates an instructor account (password from `NETLAB_PASSWORD`
/// or the first line of stdin), or makes an existing user an instructor.
pub async fn make_instructor(
    database_url: &str,
    username: &str,
    password: Option<String>,
) -> anyhow::Result<String> {
    use anyhow::Context;
    let username = crate::domain::Username::parse(username).map_err(anyhow::Error::msg)?;
    let db = crate::db::Db::connect(database_url).await?;
    if db.promote_to_instructor(username.as_ref()).await? {
        return Ok(format!("{username}: 이제 강사입니다."));
    }
    let password = match password {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("read the password from stdin")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = crate::domain::Password::parse(&password).map_err(anyhow::Error::msg)?;
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(password.expose()))
        .await
        .context("hashing task")?;
    let learner_id = format!("user-{}", tower_sessions::session::Id::default());
    db.create_user(&learner_id, username.as_ref(), &hash, true)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(format!("{username}: 강사 계정을 만들었습니다."))
}

/// `server check`: validates the whole course; problems as `path:line: message`, exit 1.
pub fn check(content_dir: &std::path::Path) -> std::process::ExitCode {
    let summary = crate::check::run(content_dir);
    if summary.problems.is_empty() {
        println!(
            "강의 {}개, 연습문제 {}개: 문제 없음",
            summary.n_lessons, summary.n_exercises
        );
        std::process::ExitCode::SUCCESS
    } else {
        for problem in &summary.problems {
            eprintln!("{problem}");
        }
        eprintln!("문제 {}개", summary.problems.len());
        std::process::ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn no_arguments_serve_on_the_default_address() {
        let Ok(Command::Serve(config)) = parse(&[], None) else {
            panic!("expected serve");
        };
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "sqlite://data/netlab.db?mode=rwc");
    }

    #[test]
    fn serve_accepts_bind_content_and_static_options() {
        let Ok(Command::Serve(config)) = parse(
            &args("serve --bind 127.0.0.1:0 --content c --static s"),
            Some("postgres://x".into()),
        ) else {
            panic!("expected serve");
        };
        assert_eq!(config.bind.port(), 0);
        assert_eq!(config.content_dir, PathBuf::from("c"));
        assert_eq!(config.static_dir, PathBuf::from("s"));
        assert_eq!(config.database_url, "postgres://x");
    }

    #[test]
    fn grade_takes_an_exercise_and_a_file() {
        assert_eq!(
            parse(&args("grade ns-blue a.yaml"), None),
            Ok(Command::Grade {
                content_dir: PathBuf::from("content"),
                exercise: "ns-blue".into(),
                file: PathBuf::from("a.yaml"),
            })
        );
    }

    #[test]
    fn bad_arguments_are_explained_in_korean() {
        assert!(parse(&args("--bind nowhere"), None).is_err_and(|e| e.contains("--bind")));
        assert!(parse(&args("grade ns-blue"), None).is_err_and(|e| e.contains("답안 파일")));
        assert!(parse(&args("--frob"), None).is_err_and(|e| e.contains("알 수 없는 옵션")));
        assert!(parse(&args("--bind"), None).is_err_and(|e| e.contains("값이 필요")));
    }
}

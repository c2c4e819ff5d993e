//! `kubesim`: the simulated cluster as a terminal program. It reads lines from stdin, runs
//! each one the way the browser terminal does (an unfinished heredoc waits for more lines),
//! and prints what the terminal would show: stdout to stdout, stderr to stderr, or, with
//! `--echo` and at an interactive prompt, both on stdout in the order they were written.
//!
//! All the behaviour lives in the library; this file only parses options and moves text
//! between stdin/stdout and [`Cluster::exec`]. The loop is [`run`] so tests can drive it.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use sim_wasm::{Cluster, ClusterConfig, Cni};

const HELP: &str = "\
kubesim — 쿠버네티스 네트워크 실습실의 시뮬레이션 클러스터를 터미널에서 실행합니다.
kubesim — run the k8s-netlab simulated cluster in a terminal.

사용법 / Usage:
  kubesim [--seed N] [--cni calico|flannel|weave-net] [--echo] [--trace]
  kubesim < session.txt

표준 입력의 각 줄을 브라우저 터미널처럼 실행합니다 (heredoc은 여러 줄에 걸쳐 이어집니다).
Each line of stdin runs as in the browser terminal (heredocs continue over several lines).

옵션 / Options:
  --seed N     이름과 주소를 재현 가능하게 만드는 시드 (기본값 0)
               seed for reproducible generated names and addresses (default 0)
  --cni NAME   클러스터의 CNI 플러그인: calico (기본값), flannel, weave-net
               the cluster's CNI plugin: calico (default), flannel, weave-net
  --echo       각 명령의 출력 앞에 `$ <명령>`을 출력합니다
               print `$ <line>` before each command's output
  --trace      각 명령 뒤에 연결 추적(traces)을 표준 오류로 출력합니다
               print each command's connection traces to stderr
  -h, --help   이 도움말 / this help

종료 코드는 마지막 명령의 종료 코드입니다. The exit code is the last command's.
vi/nano 편집기는 브라우저에서만 열립니다; kubesim에서는 `cat <<EOF > FILE`을 사용하세요.
The vi/nano editor opens in the browser only; in kubesim use `cat <<EOF > FILE`.
";

/// What the command line asked for.
#[derive(Clone, Debug, PartialEq)]
struct Options {
    seed: u64,
    cni: Cni,
    echo: bool,
    trace: bool,
    /// Show the prompt before reading each line (stdin is a terminal).
    interactive: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 0,
            cni: Cni::Calico,
            echo: false,
            trace: false,
            interactive: false,
        }
    }
}

enum Parsed {
    Run(Options),
    Help,
    Error(String),
}

fn parse_args(args: &[String]) -> Parsed {
    let mut options = Options::default();
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        index += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            let v = args
                .get(index)
                .cloned()
                .ok_or_else(|| format!("kubesim: {what} 값이 필요합니다 / {what} needs a value"))?;
            index += 1;
            Ok(v)
        };
        match name {
            "-h" | "--help" => return Parsed::Help,
            "--echo" => options.echo = true,
            "--trace" => options.trace = true,
            "--seed" => match value("--seed").and_then(|v| {
                v.parse::<u64>().map_err(|_| {
                    format!("kubesim: --seed는 0 이상의 정수여야 합니다 / --seed must be a non-negative integer: {v}")
                })
            }) {
                Ok(seed) => options.seed = seed,
                Err(message) => return Parsed::Error(message),
            },
            "--cni" => match value("--cni").as_deref() {
                Ok("calico") => options.cni = Cni::Calico,
                Ok("flannel") => options.cni = Cni::Flannel,
                Ok("weave-net") | Ok("weave") => options.cni = Cni::WeaveNet,
                Ok(other) => {
                    return Parsed::Error(format!(
                        "kubesim: 알 수 없는 CNI / unknown CNI: {other} (calico, flannel, weave-net)"
                    ));
                }
                Err(message) => return Parsed::Error(message.clone()),
            },
            other => {
                return Parsed::Error(format!(
                    "kubesim: 알 수 없는 옵션 / unknown option: {other}\n`kubesim --help`를 참고하세요 / see `kubesim --help`"
                ));
            }
        }
    }
    Parsed::Run(options)
}

/// Runs every line of `input` through one cluster; returns the last command's exit code.
fn run(
    input: impl BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: &Options,
) -> std::io::Result<i32> {
    let mut cluster = Cluster::new(options.seed, ClusterConfig { cni: options.cni });
    let mut exit_code = 0;
    let mut continuing = false;
    if options.interactive {
        write!(out, "{}", cluster.prompt())?;
        out.flush()?;
    }
    for line in input.lines() {
        let line = line?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if options.echo {
            writeln!(out, "{} {line}", if continuing { ">" } else { "$" })?;
        }
        let output = cluster.exec(line);
        if options.echo || options.interactive {
            // A transcript or a REPL is one screen: both streams in the order written.
            write!(out, "{}", output.display)?;
            out.flush()?;
        } else {
            write!(out, "{}", output.stdout)?;
            out.flush()?;
            write!(err, "{}", output.stderr)?;
        }
        if let Some(path) = &output.open_editor {
            writeln!(
                err,
                "편집기는 브라우저 터미널에서 열립니다: {path}\n\
                 The editor opens in the browser terminal: {path}\n\
                 (kubesim에서는 `cat <<EOF > 파일`로 작성하세요 / in kubesim, write it with `cat <<EOF > FILE`)"
            )?;
        }
        if options.trace {
            for trace in &output.traces {
                write!(err, "{}", trace.to_text())?;
            }
        }
        err.flush()?;
        continuing = output.continuation;
        if !continuing {
            exit_code = output.exit_code;
        }
        if options.interactive {
            write!(out, "{}", cluster.prompt())?;
            out.flush()?;
        }
    }
    if continuing {
        writeln!(
            err,
            "kubesim: 입력이 끝났지만 명령(heredoc 또는 따옴표)이 끝나지 않아 실행하지 않았습니다.\n\
             kubesim: input ended inside an unfinished command (heredoc or quote); it was not run."
        )?;
        exit_code = 2;
    }
    if options.interactive {
        writeln!(out)?;
    }
    Ok(exit_code)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = match parse_args(&args) {
        Parsed::Run(options) => options,
        Parsed::Help => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Parsed::Error(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let stdin = std::io::stdin();
    options.interactive = stdin.is_terminal();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match run(stdin.lock(), &mut stdout, &mut stderr, &options) {
        Ok(code) => ExitCode::from((code & 0xff) as u8),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kubesim: {error}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(input: &str, options: &Options) -> (String, String, i32) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = match run(input.as_bytes(), &mut out, &mut err, options) {
            Ok(code) => code,
            Err(error) => panic!("kubesim's loop failed on in-memory buffers: {error}"),
        };
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            code,
        )
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_line_runs_and_stdout_and_stderr_are_kept_apart() {
        let (out, err, code) = session("echo hello\nnosuchcmd\n", &Options::default());
        assert_eq!(out, "hello\n");
        assert_eq!(err, "bash: nosuchcmd: command not found\n");
        assert_eq!(code, 127);
    }

    #[test]
    fn an_echoed_transcript_shows_both_streams_in_the_order_the_terminal_would() {
        let options = Options {
            echo: true,
            ..Options::default()
        };
        let (out, err, code) = session("nosuchcmd; echo after\n", &options);
        assert_eq!(
            out,
            "$ nosuchcmd; echo after\nbash: nosuchcmd: command not found\nafter\n"
        );
        assert_eq!(err, "");
        assert_eq!(code, 0);
    }

    #[test]
    fn a_heredoc_spread_over_lines_writes_the_file_and_echo_marks_continuation_lines() {
        let options = Options {
            echo: true,
            ..Options::default()
        };
        let input = "cat <<EOF > ns.yaml\napiVersion: v1\nkind: Namespace\nEOF\ncat ns.yaml\n";
        let (out, err, code) = session(input, &options);
        assert_eq!(
            out,
            "$ cat <<EOF > ns.yaml\n> apiVersion: v1\n> kind: Namespace\n> EOF\n$ cat ns.yaml\napiVersion: v1\nkind: Namespace\n"
        );
        assert_eq!(err, "");
        assert_eq!(code, 0);
    }

    #[test]
    fn the_exit_code_is_the_last_commands() {
        assert_eq!(session("false\ntrue\n", &Options::default()).2, 0);
        assert_eq!(session("true\ngrep x /nope\n", &Options::default()).2, 2);
    }

    #[test]
    fn input_ending_inside_a_heredoc_is_reported_and_fails() {
        let (out, err, code) = session("cat <<EOF\nhello\n", &Options::default());
        assert_eq!(out, "");
        assert!(
            err.contains("input ended inside an unfinished command"),
            "{err}"
        );
        assert_eq!(code, 2);
    }

    #[test]
    fn an_interactive_session_shows_bash_prompts() {
        let options = Options {
            interactive: true,
            ..Options::default()
        };
        let (out, _, _) = session("mkdir d && cd d\ncat <<EOF\nx\nEOF\n", &options);
        assert_eq!(
            out,
            "user@master:~$ user@master:~/d$ > > x\nuser@master:~/d$ \n"
        );
    }

    #[test]
    fn vi_prints_where_the_editor_opens() {
        let (out, err, code) = session("vi blue.yaml\n", &Options::default());
        assert_eq!(out, "");
        assert!(err.contains("/home/user/blue.yaml"), "{err}");
        assert_eq!(code, 0);
    }

    #[test]
    fn trace_prints_the_packet_path_of_a_curl_to_an_unexposed_service_port_as_text() {
        let options = Options {
            trace: true,
            ..Options::default()
        };
        // `kubernetes` only exposes 443: no KUBE-SERVICES rule matches port 80, nothing is
        // DNATed, and the packet to the virtual IP vanishes until curl's -m gives up.
        let (out, err, code) = session("curl -s -m 2 10.96.0.1:80\n", &options);
        assert_eq!(out, "");
        assert_eq!(code, 28, "{err}");
        assert!(
            err.starts_with("# curl -s -m 2 10.96.0.1:80  (from "),
            "{err}"
        );
        assert!(err.contains("drop no destination"), "{err}");
        assert!(err.trim_end().ends_with("=> timeout"), "{err}");
    }

    #[test]
    fn options_parse_seed_cni_echo_and_trace() {
        let Parsed::Run(options) = parse_args(&args(&[
            "--seed",
            "7",
            "--cni=flannel",
            "--echo",
            "--trace",
        ])) else {
            panic!("valid options were rejected");
        };
        assert_eq!(
            options,
            Options {
                seed: 7,
                cni: Cni::Flannel,
                echo: true,
                trace: true,
                interactive: false,
            }
        );
        assert!(
            matches!(parse_args(&args(&["--cni", "weave-net"])), Parsed::Run(o) if o.cni == Cni::WeaveNet)
        );
    }

    #[test]
    fn bad_options_are_errors_in_korean_and_english() {
        let Parsed::Error(message) = parse_args(&args(&["--seed", "x"])) else {
            panic!("--seed x was accepted");
        };
        assert!(
            message.contains("--seed must be a non-negative integer"),
            "{message}"
        );
        assert!(
            matches!(parse_args(&args(&["--cni", "cilium"])), Parsed::Error(m) if m.contains("unknown CNI"))
        );
        assert!(
            matches!(parse_args(&args(&["--bogus"])), Parsed::Error(m) if m.contains("unknown option"))
        );
        assert!(
            matches!(parse_args(&args(&["--seed"])), Parsed::Error(m) if m.contains("needs a value"))
        );
        assert!(matches!(parse_args(&args(&["--help"])), Parsed::Help));
    }

    #[test]
    fn help_is_bilingual() {
        assert!(HELP.contains("사용법 / Usage"));
        assert!(HELP.contains("--seed N"));
    }
}

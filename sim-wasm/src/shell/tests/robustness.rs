//! Budgets and robustness: random input never panics, outputs and pending input are
//! capped, pathological patterns end.

use super::*;

#[test]
fn random_input_never_panics_and_always_returns() {
    let alphabet: Vec<char> = "ab $(){}[]'\"\\|&;<>`~*?#=!-\n\t0129EOFcatgrepls>-_.:/%+heredoc한글"
        .chars()
        .collect();
    let words = [
        "cat <<EOF",
        "EOF",
        "echo ",
        "$(",
        ")",
        "${X:-",
        "}",
        "2>&1",
        "| grep ",
        "&& ",
        "'",
        "\"",
        "sudo ",
        "exit",
        "ssh worker1",
        "kubectl exec -it web-1 -- bash",
        "cd ..",
        "ls -l ",
        "xargs ",
        "$((",
        "))",
        "<<-",
        "<<<",
        "&>",
        "vi x",
        "history",
        "sort -k",
        "seq 5",
        "for i in ",
        "; do ",
        "done",
        "while ",
        "if ",
        "then ",
        "fi",
        "{ ",
        " }",
        "( ",
        "break",
        "read x",
    ];
    let mut rng = Lcg(7);
    let mut sh = Shell::new();
    for _ in 0..3000 {
        let mut line = String::new();
        let length = rng.next() % 24;
        for _ in 0..length {
            if rng.next().is_multiple_of(3) {
                line.push_str(words[(rng.next() as usize) % words.len()]);
            } else {
                line.push(alphabet[(rng.next() as usize) % alphabet.len()]);
            }
        }
        let output = sh.run(&line);
        assert!(output.stdout.len() <= MAX_OUTPUT && output.stderr.len() <= MAX_OUTPUT + 200);
        let _ = sh.session.prompt();
    }
}

#[test]
fn huge_outputs_and_pending_input_are_capped() {
    let mut sh = Shell::new();
    let output = sh.run("seq 1000000 | sort -n | sort -rn | head -1");
    assert_eq!(output.stdout, "100000\n", "seq stops at its line budget");
    let output = sh.run("cat <<EOF");
    assert!(output.continuation);
    let chunk = "x".repeat(64 * 1024);
    let mut dropped = false;
    for _ in 0..40 {
        let output = sh.run(&chunk);
        if !output.continuation {
            dropped = true;
            assert!(
                output.stderr.contains("input too long"),
                "{}",
                output.stderr
            );
            break;
        }
    }
    assert!(dropped, "an endless heredoc must be dropped at the budget");
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
}

#[test]
fn regex_budget_turns_pathological_patterns_into_no_match() {
    let regex = super::regex::Regex::new("(a*)*b", super::regex::Syntax::Extended, false);
    let Ok(regex) = regex else {
        panic!("the pattern compiles");
    };
    let text: Vec<char> = "a".repeat(5000).chars().collect();
    assert!(!regex.is_match(&text));
    let long_line: Vec<char> = format!("{}needle", "x".repeat(100_000)).chars().collect();
    let regex = super::regex::Regex::new(".*needle", super::regex::Syntax::Basic, false);
    assert!(regex.is_ok_and(|r| r.is_match(&long_line)));
}
#[test]
fn random_patterns_and_scripts_never_panic_the_mini_languages() {
    let alphabet: Vec<char> = "ab()[]{}*+?|\\^$.-,0123456789:/&!~=<>\"' ;nNpdqsyEF{}$"
        .chars()
        .collect();
    let mut rng = Lcg(11);
    let mut sh = Shell::new();
    sh.session
        .write_file("f", "alpha beta\ngamma 42\n\tdelta (x)\n");
    for round in 0..1500 {
        let mut text = String::new();
        for _ in 0..(rng.next() % 14) {
            text.push(alphabet[(rng.next() as usize) % alphabet.len()]);
        }
        let quoted = text.replace('\'', "'\\''");
        let line = match round % 6 {
            0 => format!("grep -E '{quoted}' f"),
            1 => format!("grep '{quoted}' f"),
            2 => format!("sed '{quoted}' f"),
            3 => format!("sed -E 's/{quoted}/x/g' f"),
            4 => format!("awk '{quoted}' f"),
            _ => format!("awk '{{print {quoted}}}' f"),
        };
        let output = sh.run(&line);
        assert!(output.stdout.len() <= MAX_OUTPUT, "{line}");
    }
}

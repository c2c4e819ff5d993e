use super::*;

const OVERALL_NAT: &str = include_str!("../testdata/overall_save_nat.txt");
const OVERALL_FILTER: &str = include_str!("../testdata/overall_save_filter.txt");
const OVERALL_RESTORE: &str = include_str!("../testdata/overall_restore_input.txt");
const KUBEADM_NAT: &str = include_str!("../testdata/kubeadm_save_nat.txt");
const KUBEADM_FILTER: &str = include_str!("../testdata/kubeadm_save_filter.txt");
const KUBEADM_RESTORE: &str = include_str!("../testdata/kubeadm_restore_input.txt");

fn date_of(dump: &str) -> &str {
    dump.lines()
        .next()
        .and_then(|line| line.split(" on ").nth(1))
        .unwrap_or("")
}

fn reparse(dump: &str) -> String {
    let ruleset = match parse_save(dump) {
        Ok(ruleset) => ruleset,
        Err(err) => panic!("reference dump does not parse: {err}"),
    };
    save(&ruleset, date_of(dump))
}

#[test]
fn real_iptables_save_dumps_survive_parse_and_render_unchanged() {
    for dump in [OVERALL_NAT, OVERALL_FILTER, KUBEADM_NAT, KUBEADM_FILTER] {
        assert_eq!(reparse(dump), dump);
    }
}

/// The `-A` lines of a text, each parsed and printed back in iptables-save's form.
fn normalised_rules(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with("-A "))
        .map(|line| match parse_rule(line) {
            Ok((chain, rule)) => render::rule_text(&chain, &rule),
            Err(err) => panic!("{line}: {err}"),
        })
        .collect()
}

#[test]
fn kube_proxy_restore_input_normalises_to_what_real_iptables_save_printed() {
    for (restore, dumps) in [
        (OVERALL_RESTORE, [OVERALL_NAT, OVERALL_FILTER]),
        (KUBEADM_RESTORE, [KUBEADM_NAT, KUBEADM_FILTER]),
    ] {
        let saved: Vec<String> = dumps.iter().flat_map(|d| normalised_rules(d)).collect();
        for rule in normalised_rules(restore) {
            assert!(saved.contains(&rule), "not in the real dump: {rule}");
        }
    }
}

#[test]
fn probabilities_print_with_the_kernels_fixed_point_rounding() {
    let third = Match::probability_fixed(1.0 / 3.0);
    assert_eq!(
        format!("{:.11}", Match::probability_value(third)),
        "0.33333333349"
    );
    let (_, rule) =
        match parse_rule("-A X -m statistic --mode random --probability 0.2500000000 -j Y") {
            Ok(parsed) => parsed,
            Err(err) => panic!("{err}"),
        };
    assert_eq!(
        render::rule_text("X", &rule),
        "-A X -m statistic --mode random --probability 0.25000000000 -j Y"
    );
}

#[test]
fn ctime_prints_the_header_date_like_c() {
    // 2026-11-26T06:58:35Z, the reference dump's own date.
    assert_eq!(ctime(1_795_676_315), "Thu Nov 26 06:58:35 2026");
    assert_eq!(ctime(0), "Thu Jan  1 00:00:00 1970");
}

#[test]
fn list_rules_prints_policies_chains_then_rules() {
    let ruleset = match parse_save(KUBEADM_NAT) {
        Ok(r) => r,
        Err(err) => panic!("{err}"),
    };
    let Some(nat) = ruleset.table(TableKind::Nat) else {
        panic!("nat table")
    };
    let text = match list_rules(nat, None, false) {
        Ok(text) => text,
        Err(err) => panic!("{err}"),
    };
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first().copied(), Some("-P PREROUTING ACCEPT"));
    assert_eq!(lines.get(4).copied(), Some("-N KUBE-EXT-WIPZRELEUTOPIR4X"));
    // Every -A line is exactly the iptables-save line.
    let saved: Vec<&str> = KUBEADM_NAT
        .lines()
        .filter(|l| l.starts_with("-A "))
        .collect();
    let listed: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("-A "))
        .collect();
    assert_eq!(listed, saved);
    assert!(list_rules(nat, Some("NOPE"), false).is_err());
}

#[test]
fn list_prints_iptables_columns_with_numeric_addresses_and_1_8_7_s_protocol_names() {
    let ruleset = match parse_save(KUBEADM_NAT) {
        Ok(r) => r,
        Err(err) => panic!("{err}"),
    };
    let Some(nat) = ruleset.table(TableKind::Nat) else {
        panic!("nat table")
    };
    let options = ListOptions {
        numeric: true,
        ..ListOptions::default()
    };
    let text = match list(nat, Some("KUBE-SVC-NPX46M4PTMTKRN6Y"), options) {
        Ok(text) => text,
        Err(err) => panic!("{err}"),
    };
    let expected = "\
Chain KUBE-SVC-NPX46M4PTMTKRN6Y (1 references)
target     prot opt source               destination         
KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443
KUBE-SEP-7J3FZHL6MJULGV6U  all  --  0.0.0.0/0            0.0.0.0/0            /* default/kubernetes:https -> 192.168.56.10:6443 */
";
    assert_eq!(text, expected);
}

#[test]
fn malformed_rules_are_errors_not_panics() {
    for line in [
        "-A X -s",
        "-A X -s 300.1.1.1 -j Y",
        "-A X -m nosuch -j Y",
        "-A X --comment \"unterminated",
        "-A X --probability 0.5",
        "-A X -p tcp --dport notaport",
    ] {
        assert!(parse_rule(line).is_err(), "{line}");
    }
    assert!(parse_save("-A X -j Y\n").is_err());
    assert!(parse_save("*nat\n:X - [0:0]\n").is_err());
}

#[test]
fn the_parser_never_panics_on_arbitrary_rule_text() {
    let words = [
        "-A",
        "X",
        "-s",
        "!",
        "-d",
        "1.2.3.4/33",
        "-p",
        "tcp",
        "-m",
        "comment",
        "--comment",
        "\"a b",
        "\"",
        "--dport",
        "80",
        "-j",
        "DNAT",
        "--to-destination",
        "MARK",
        "--set-xmark",
        "0x4000/",
        "--or-mark",
        "zz",
        "-m",
        "statistic",
        "--probability",
        "0.5",
        "recent",
        "--rcheck",
        "--name",
        "*nat",
        ":X",
        "COMMIT",
        "\n",
        "--seconds",
        "-1",
    ];
    let mut rng = crate::rand::Rng::new(5);
    for _ in 0..2000 {
        let n = rng.below(12) as usize;
        let text: Vec<&str> = (0..n)
            .map(|_| words[rng.below(words.len() as u32) as usize])
            .collect();
        let line = text.join(" ");
        let _ = parse_rule(&line);
        let _ = parse_save(&line);
    }
}

//! kubectl's command line as cobra/pflag parse it: `--flag=value`, `--flag value`, `-n value`,
//! `-nvalue`, combined boolean shorthands (`-it`), `--` ending the flags, and cobra's own
//! error messages (`Error: unknown flag: --bogus`, `flag needs an argument: 'n' in -n`).

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    /// `true` for flags that take a value (`--namespace blue`), `false` for booleans.
    pub takes_value: bool,
    /// The width of a Go integer flag (`IntVar` 64, `Int32Var` 32), 0 for other flags:
    /// pflag rejects a value that is not such an integer before the command runs.
    pub int_bits: u32,
    /// pflag's `NoOptDefVal`: the value of a value flag written without one (`--dry-run`
    /// alone is `unchanged`, `--cascade` alone is `background`); it then takes no word.
    pub bare_value: Option<&'static str>,
}

pub const fn value(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
        int_bits: 0,
        bare_value: None,
    }
}

pub const fn boolean(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: false,
        int_bits: 0,
        bare_value: None,
    }
}

/// A Go `int`/`int64` flag.
pub const fn int(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
        int_bits: 64,
        bare_value: None,
    }
}

/// A Go `int32` flag.
pub const fn int32(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
        int_bits: 32,
        bare_value: None,
    }
}

/// A value flag that may stand alone, meaning `bare` (pflag's `NoOptDefVal`).
pub const fn optional(long: &'static str, bare: &'static str) -> FlagSpec {
    FlagSpec {
        long,
        short: None,
        takes_value: true,
        int_bits: 0,
        bare_value: Some(bare),
    }
}

/// Flags every kubectl command accepts (kubectl's persistent flags).
pub const GLOBAL: &[FlagSpec] = &[
    value("namespace", Some('n')),
    value("context", None),
    value("kubeconfig", None),
    value("cluster", None),
    value("user", None),
    value("server", Some('s')),
    value("request-timeout", None),
    int32("v", Some('v')),
    value("as", None),
    boolean("insecure-skip-tls-verify", None),
    boolean("warnings-as-errors", None),
    value("cache-dir", None),
    value("token", None),
];

/// cobra's `stripFlags`: the index of the first word that is neither a flag nor a flag's
/// value, which cobra takes for the subcommand (`kubectl create -n blue service ...`). A flag
/// written without `=` takes the next word unless `specs` know it as a boolean: cobra cannot
/// tell for a flag it doesn't know either. Nothing after `--` is a subcommand.
pub fn subcommand_index(args: &[String], specs: &[&[FlagSpec]]) -> Option<usize> {
    let known_boolean = |matches: &dyn Fn(&FlagSpec) -> bool| {
        specs
            .iter()
            .flat_map(|s| s.iter())
            .any(|f| !f.takes_value && matches(f))
    };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let takes_next = if arg == "--" {
            return None;
        } else if let Some(long) = arg.strip_prefix("--") {
            !long.contains('=')
                && !known_boolean(&|f| f.long == long)
                && find(specs, |f| f.long == long).is_none_or(|f| f.bare_value.is_none())
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => !known_boolean(&|f| f.short == Some(c)),
                _ => false,
            }
        } else {
            return Some(i);
        };
        i += if takes_next { 2 } else { 1 };
    }
    None
}

/// The subcommand ([`subcommand_index`]) and the words around it.
pub fn split_subcommand(args: &[String], specs: &[&[FlagSpec]]) -> Option<(String, Vec<String>)> {
    let index = subcommand_index(args, specs)?;
    let mut rest = args.to_vec();
    let sub = rest.remove(index);
    Some((sub, rest))
}

/// Parsed flags and positional arguments.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub values: BTreeMap<String, Vec<String>>,
    pub positional: Vec<String>,
    /// Arguments after `--` (the command of `kubectl exec`/`run`).
    pub after_dash: Option<Vec<String>>,
}

impl Parsed {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A boolean flag: present without value or `=true`.
    pub fn flag(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v != "false")
    }
}

/// A cobra error: printed as `Error: MESSAGE` followed by the usage hint.
#[derive(Debug, PartialEq, Eq)]
pub struct FlagError(pub String);

fn find<'a>(specs: &'a [&[FlagSpec]], pred: impl Fn(&FlagSpec) -> bool) -> Option<&'a FlagSpec> {
    specs.iter().flat_map(|s| s.iter()).find(|f| pred(f))
}

/// How pflag names a flag in its errors: `-r, --replicas` or `--grace-period`.
fn shown(spec: &FlagSpec) -> String {
    match spec.short {
        Some(c) => format!("-{c}, --{}", spec.long),
        None => format!("--{}", spec.long),
    }
}

/// pflag's check of a value against its flag's type: integers as Go's
/// `strconv.ParseInt(v, 0, bits)` reads them (stored back in decimal, so commands can
/// `parse` them), booleans as `strconv.ParseBool` (stored as `true`/`false`).
fn checked(spec: &FlagSpec, v: String) -> Result<String, FlagError> {
    let invalid = |func: &str, why: &str| {
        FlagError(format!(
            "invalid argument \"{v}\" for \"{}\" flag: strconv.{func}: parsing \"{v}\": {why}",
            shown(spec)
        ))
    };
    if !spec.takes_value {
        return match v.as_str() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok("true".to_owned()),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok("false".to_owned()),
            _ => Err(invalid("ParseBool", "invalid syntax")),
        };
    }
    if spec.int_bits == 0 {
        return Ok(v);
    }
    match go_parse_int(&v, spec.int_bits) {
        Ok(n) => Ok(n.to_string()),
        Err(why) => Err(invalid("ParseInt", why)),
    }
}

/// Go's `strconv.ParseInt(s, 0, bits)`: an optional sign, then decimal, `0x`/`0o`/`0b` or a
/// leading `0` for octal, with `_` allowed between digits.
fn go_parse_int(s: &str, bits: u32) -> Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    // Underscores only between digits (or right after a base prefix).
    let b = digits.as_bytes();
    let prefixed = radix != 10;
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let before_ok = i > 0 && b[i - 1] != b'_' || (i == 0 && prefixed);
            if !before_ok || i + 1 == b.len() || b[i + 1] == b'_' {
                return Err(SYNTAX);
            }
        }
    }
    let mut magnitude: u64 = 0;
    let mut any = false;
    for c in digits.chars().filter(|&c| c != '_') {
        let digit = c.to_digit(radix).ok_or(SYNTAX)?;
        any = true;
        magnitude = magnitude
            .checked_mul(u64::from(radix))
            .and_then(|m| m.checked_add(u64::from(digit)))
            .ok_or("value out of range")?;
    }
    if !any {
        return Err(SYNTAX);
    }
    // The most negative value has no positive twin: compare magnitudes.
    let limit = 1u64 << (bits - 1);
    if magnitude > limit || (magnitude == limit && !negative) {
        return Err("value out of range");
    }
    let value = magnitude as i64; // in range: at most 2^63, which wraps to i64::MIN
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// Parses `args` (after the command words) against `specs` (the command's own flags and
/// [`GLOBAL`]).
pub fn parse(args: &[String], specs: &[&[FlagSpec]]) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.after_dash = Some(args[i..].to_vec());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let Some(spec) = find(specs, |f| f.long == name) else {
                return Err(FlagError(format!("unknown flag: --{name}")));
            };
            let v = if spec.takes_value {
                match (inline, spec.bare_value) {
                    (Some(v), _) => v,
                    (None, Some(bare)) => bare.to_owned(),
                    (None, None) => {
                        let Some(v) = args.get(i) else {
                            return Err(FlagError(format!("flag needs an argument: --{name}")));
                        };
                        i += 1;
                        v.clone()
                    }
                }
            } else {
                inline.unwrap_or_else(|| "true".to_owned())
            };
            let v = checked(spec, v)?;
            parsed
                .values
                .entry(spec.long.to_owned())
                .or_default()
                .push(v);
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec) = find(specs, |f| f.short == Some(c)) else {
                    return Err(FlagError(format!("unknown shorthand flag: '{c}' in {arg}")));
                };
                if spec.takes_value {
                    let rest: String = chars[j + 1..].iter().collect();
                    let v = if let Some(v) = rest.strip_prefix('=') {
                        v.to_owned()
                    } else if !rest.is_empty() {
                        rest
                    } else {
                        let Some(v) = args.get(i) else {
                            return Err(FlagError(format!(
                                "flag needs an argument: '{c}' in -{c}"
                            )));
                        };
                        i += 1;
                        v.clone()
                    };
                    let v = checked(spec, v)?;
                    parsed
                        .values
                        .entry(spec.long.to_owned())
                        .or_default()
                        .push(v);
                    break;
                }
                let rest: String = chars[j + 1..].iter().collect();
                let v = match rest.strip_prefix('=') {
                    Some(v) => {
                        j = chars.len();
                        v.to_owned()
                    }
                    None => "true".to_owned(),
                };
                let v = checked(spec, v)?;
                parsed
                    .values
                    .entry(spec.long.to_owned())
                    .or_default()
                    .push(v);
                j += 1;
            }
        } else {
            parsed.positional.push(arg.clone());
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[FlagSpec] = &[
        value("output", Some('o')),
        boolean("all-namespaces", Some('A')),
        boolean("stdin", Some('i')),
        boolean("tty", Some('t')),
    ];

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn flags_take_values_in_every_pflag_spelling() {
        for line in [
            "-n blue",
            "-nblue",
            "-n=blue",
            "--namespace blue",
            "--namespace=blue",
        ] {
            let p = parse(&args(line), &[GET, GLOBAL]).unwrap_or_default();
            assert_eq!(p.get("namespace"), Some("blue"), "{line}");
        }
    }

    #[test]
    fn combined_boolean_shorthands_and_double_dash_work() {
        let p = parse(&args("-it pod -- sh -c ls"), &[GET, GLOBAL]).unwrap_or_default();
        assert!(p.flag("stdin") && p.flag("tty"));
        assert_eq!(p.positional, ["pod"]);
        assert_eq!(p.after_dash, Some(args("sh -c ls")));
    }

    #[test]
    fn unknown_and_incomplete_flags_get_cobras_messages() {
        assert_eq!(
            parse(&args("--bogus"), &[GET, GLOBAL]).err(),
            Some(FlagError("unknown flag: --bogus".to_owned()))
        );
        assert_eq!(
            parse(&args("-z"), &[GET, GLOBAL]).err(),
            Some(FlagError("unknown shorthand flag: 'z' in -z".to_owned()))
        );
        assert_eq!(
            parse(&args("-n"), &[GET, GLOBAL]).err(),
            Some(FlagError("flag needs an argument: 'n' in -n".to_owned()))
        );
        assert_eq!(
            parse(&args("--namespace"), &[GET, GLOBAL]).err(),
            Some(FlagError("flag needs an argument: --namespace".to_owned()))
        );
    }
}

//! The virtual clock. Time is a value the caller passes in; the simulator never reads a
//! wall clock. `SimTime` counts milliseconds since the cluster was created.

use std::fmt;

/// Milliseconds since the simulated cluster was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// The wall-clock instant (Unix seconds) that `SimTime::ZERO` stands for: 2026-11-26T09:00:00Z.
/// Only used to print timestamps (`creationTimestamp`, `describe`), never to decide anything.
pub const EPOCH_UNIX_SECONDS: i64 = 1_795_683_600;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub const fn from_millis(millis: u64) -> SimTime {
        SimTime(millis)
    }

    pub const fn from_secs(secs: u64) -> SimTime {
        SimTime(secs * 1000)
    }

    pub const fn as_millis(self) -> u64 {
        self.0
    }

    pub const fn as_secs(self) -> u64 {
        self.0 / 1000
    }

    pub fn saturating_add_millis(self, millis: u64) -> SimTime {
        SimTime(self.0.saturating_add(millis))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

/// Formats an age the way kubectl does (`k8s.io/apimachinery/pkg/util/duration.HumanDuration`).
/// `seconds` may be negative when the object is from the "future" (clock skew), as in Go.
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Formats Unix seconds as RFC 3339 UTC (`2026-11-26T09:00:00Z`), as Kubernetes prints timestamps.
pub fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs_of_day / 3600,
            (secs_of_day / 60) % 60,
            secs_of_day % 60
        );
    }
    // Digit by digit rather than `format!`: controllers stamp tens of thousands of objects
    // and conditions while a large cluster settles, and the formatter was a visible share.
    let digits = |n: i64, width: usize, out: &mut String| {
        let mut buf = [b'0'; 4];
        let mut n = n;
        for b in buf[..width].iter_mut().rev() {
            *b = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out.extend(buf[..width].iter().map(|&b| char::from(b)));
    };
    let mut out = String::with_capacity(20);
    digits(year, 4, &mut out);
    out.push('-');
    digits(i64::from(month), 2, &mut out);
    out.push('-');
    digits(i64::from(day), 2, &mut out);
    out.push('T');
    digits(secs_of_day / 3600, 2, &mut out);
    out.push(':');
    digits((secs_of_day / 60) % 60, 2, &mut out);
    out.push(':');
    digits(secs_of_day % 60, 2, &mut out);
    out.push('Z');
    out
}

/// Howard Hinnant's days → civil date algorithm (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_follows_apimachinery_boundaries() {
        let cases = [
            (-5, "<invalid>"),
            (-1, "0s"),
            (45, "45s"),
            (119, "119s"),
            (120, "2m"),
            (421, "7m1s"),
            (600, "10m"),
            (3000, "50m"),
            (3 * 3600 + 600, "3h10m"),
            (26 * 3600, "26h"),
            (3 * 86_400 + 4 * 3600, "3d4h"),
            (10 * 86_400, "10d"),
            (3 * 365 * 86_400, "3y"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(human_duration(seconds), expected, "{seconds}s");
        }
    }

    #[test]
    fn rfc3339_of_the_epoch_is_the_documented_date() {
        assert_eq!(rfc3339(EPOCH_UNIX_SECONDS), "2026-11-26T09:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(EPOCH_UNIX_SECONDS + 3_723), "2026-11-26T10:02:03Z");
    }
}

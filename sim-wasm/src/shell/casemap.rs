//! Unicode simple lowercase mapping (`towlower`, Go's `unicode.ToLower`) in 2 KB of table.
//!
//! `char::to_lowercase` carries the standard library's full conversion table (1,488 pairs, 12 KB
//! of the browser's wasm); the same mapping is 186 runs of code points that move by the same
//! distance, every one or every other code point. The tests check every code point against
//! `char::to_lowercase`, so the two agree for as long as the tests pass.
//!
//! Used by `grep -i`, `find -iname` and kubectl's suggestions; knows nothing about them.

/// `(first, count, stride, delta)`: `first + k * stride` lowercases to itself plus `delta`
/// for `k < count`. Sorted; the runs do not overlap.
const RUNS: [(u32, u8, u8, i32); 186] = [
    (0x00041, 26, 1, 32),
    (0x000c0, 23, 1, 32),
    (0x000d8, 7, 1, 32),
    (0x00100, 24, 2, 1),
    (0x00130, 1, 1, -199),
    (0x00132, 3, 2, 1),
    (0x00139, 8, 2, 1),
    (0x0014a, 23, 2, 1),
    (0x00178, 1, 1, -121),
    (0x00179, 3, 2, 1),
    (0x00181, 1, 1, 210),
    (0x00182, 2, 2, 1),
    (0x00186, 1, 1, 206),
    (0x00187, 1, 1, 1),
    (0x00189, 2, 1, 205),
    (0x0018b, 1, 1, 1),
    (0x0018e, 1, 1, 79),
    (0x0018f, 1, 1, 202),
    (0x00190, 1, 1, 203),
    (0x00191, 1, 1, 1),
    (0x00193, 1, 1, 205),
    (0x00194, 1, 1, 207),
    (0x00196, 1, 1, 211),
    (0x00197, 1, 1, 209),
    (0x00198, 1, 1, 1),
    (0x0019c, 1, 1, 211),
    (0x0019d, 1, 1, 213),
    (0x0019f, 1, 1, 214),
    (0x001a0, 3, 2, 1),
    (0x001a6, 1, 1, 218),
    (0x001a7, 1, 1, 1),
    (0x001a9, 1, 1, 218),
    (0x001ac, 1, 1, 1),
    (0x001ae, 1, 1, 218),
    (0x001af, 1, 1, 1),
    (0x001b1, 2, 1, 217),
    (0x001b3, 2, 2, 1),
    (0x001b7, 1, 1, 219),
    (0x001b8, 1, 1, 1),
    (0x001bc, 1, 1, 1),
    (0x001c4, 1, 1, 2),
    (0x001c5, 1, 1, 1),
    (0x001c7, 1, 1, 2),
    (0x001c8, 1, 1, 1),
    (0x001ca, 1, 1, 2),
    (0x001cb, 9, 2, 1),
    (0x001de, 9, 2, 1),
    (0x001f1, 1, 1, 2),
    (0x001f2, 2, 2, 1),
    (0x001f6, 1, 1, -97),
    (0x001f7, 1, 1, -56),
    (0x001f8, 20, 2, 1),
    (0x00220, 1, 1, -130),
    (0x00222, 9, 2, 1),
    (0x0023a, 1, 1, 10795),
    (0x0023b, 1, 1, 1),
    (0x0023d, 1, 1, -163),
    (0x0023e, 1, 1, 10792),
    (0x00241, 1, 1, 1),
    (0x00243, 1, 1, -195),
    (0x00244, 1, 1, 69),
    (0x00245, 1, 1, 71),
    (0x00246, 5, 2, 1),
    (0x00370, 2, 2, 1),
    (0x00376, 1, 1, 1),
    (0x0037f, 1, 1, 116),
    (0x00386, 1, 1, 38),
    (0x00388, 3, 1, 37),
    (0x0038c, 1, 1, 64),
    (0x0038e, 2, 1, 63),
    (0x00391, 17, 1, 32),
    (0x003a3, 9, 1, 32),
    (0x003cf, 1, 1, 8),
    (0x003d8, 12, 2, 1),
    (0x003f4, 1, 1, -60),
    (0x003f7, 1, 1, 1),
    (0x003f9, 1, 1, -7),
    (0x003fa, 1, 1, 1),
    (0x003fd, 3, 1, -130),
    (0x00400, 16, 1, 80),
    (0x00410, 32, 1, 32),
    (0x00460, 17, 2, 1),
    (0x0048a, 27, 2, 1),
    (0x004c0, 1, 1, 15),
    (0x004c1, 7, 2, 1),
    (0x004d0, 48, 2, 1),
    (0x00531, 38, 1, 48),
    (0x010a0, 38, 1, 7264),
    (0x010c7, 1, 1, 7264),
    (0x010cd, 1, 1, 7264),
    (0x013a0, 80, 1, 38864),
    (0x013f0, 6, 1, 8),
    (0x01c89, 1, 1, 1),
    (0x01c90, 43, 1, -3008),
    (0x01cbd, 3, 1, -3008),
    (0x01e00, 75, 2, 1),
    (0x01e9e, 1, 1, -7615),
    (0x01ea0, 48, 2, 1),
    (0x01f08, 8, 1, -8),
    (0x01f18, 6, 1, -8),
    (0x01f28, 8, 1, -8),
    (0x01f38, 8, 1, -8),
    (0x01f48, 6, 1, -8),
    (0x01f59, 4, 2, -8),
    (0x01f68, 8, 1, -8),
    (0x01f88, 8, 1, -8),
    (0x01f98, 8, 1, -8),
    (0x01fa8, 8, 1, -8),
    (0x01fb8, 2, 1, -8),
    (0x01fba, 2, 1, -74),
    (0x01fbc, 1, 1, -9),
    (0x01fc8, 4, 1, -86),
    (0x01fcc, 1, 1, -9),
    (0x01fd8, 2, 1, -8),
    (0x01fda, 2, 1, -100),
    (0x01fe8, 2, 1, -8),
    (0x01fea, 2, 1, -112),
    (0x01fec, 1, 1, -7),
    (0x01ff8, 2, 1, -128),
    (0x01ffa, 2, 1, -126),
    (0x01ffc, 1, 1, -9),
    (0x02126, 1, 1, -7517),
    (0x0212a, 1, 1, -8383),
    (0x0212b, 1, 1, -8262),
    (0x02132, 1, 1, 28),
    (0x02160, 16, 1, 16),
    (0x02183, 1, 1, 1),
    (0x024b6, 26, 1, 26),
    (0x02c00, 48, 1, 48),
    (0x02c60, 1, 1, 1),
    (0x02c62, 1, 1, -10743),
    (0x02c63, 1, 1, -3814),
    (0x02c64, 1, 1, -10727),
    (0x02c67, 3, 2, 1),
    (0x02c6d, 1, 1, -10780),
    (0x02c6e, 1, 1, -10749),
    (0x02c6f, 1, 1, -10783),
    (0x02c70, 1, 1, -10782),
    (0x02c72, 1, 1, 1),
    (0x02c75, 1, 1, 1),
    (0x02c7e, 2, 1, -10815),
    (0x02c80, 50, 2, 1),
    (0x02ceb, 2, 2, 1),
    (0x02cf2, 1, 1, 1),
    (0x0a640, 23, 2, 1),
    (0x0a680, 14, 2, 1),
    (0x0a722, 7, 2, 1),
    (0x0a732, 31, 2, 1),
    (0x0a779, 2, 2, 1),
    (0x0a77d, 1, 1, -35332),
    (0x0a77e, 5, 2, 1),
    (0x0a78b, 1, 1, 1),
    (0x0a78d, 1, 1, -42280),
    (0x0a790, 2, 2, 1),
    (0x0a796, 10, 2, 1),
    (0x0a7aa, 1, 1, -42308),
    (0x0a7ab, 1, 1, -42319),
    (0x0a7ac, 1, 1, -42315),
    (0x0a7ad, 1, 1, -42305),
    (0x0a7ae, 1, 1, -42308),
    (0x0a7b0, 1, 1, -42258),
    (0x0a7b1, 1, 1, -42282),
    (0x0a7b2, 1, 1, -42261),
    (0x0a7b3, 1, 1, 928),
    (0x0a7b4, 8, 2, 1),
    (0x0a7c4, 1, 1, -48),
    (0x0a7c5, 1, 1, -42307),
    (0x0a7c6, 1, 1, -35384),
    (0x0a7c7, 2, 2, 1),
    (0x0a7cb, 1, 1, -42343),
    (0x0a7cc, 8, 2, 1),
    (0x0a7dc, 1, 1, -42561),
    (0x0a7f5, 1, 1, 1),
    (0x0ff21, 26, 1, 32),
    (0x10400, 40, 1, 40),
    (0x104b0, 36, 1, 40),
    (0x10570, 11, 1, 39),
    (0x1057c, 15, 1, 39),
    (0x1058c, 7, 1, 39),
    (0x10594, 2, 1, 39),
    (0x10c80, 51, 1, 64),
    (0x10d50, 22, 1, 32),
    (0x118a0, 32, 1, 32),
    (0x16e40, 32, 1, 32),
    (0x16ea0, 25, 1, 27),
    (0x1e900, 34, 1, 34),
];

/// `c` lowercased with the simple (one-to-one) mapping: the first character of
/// `c.to_lowercase()`.
pub fn lower(c: char) -> char {
    let code = u32::from(c);
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let next = RUNS.partition_point(|run| run.0 <= code);
    let Some(&(first, count, stride, delta)) = next.checked_sub(1).and_then(|i| RUNS.get(i)) else {
        return c;
    };
    let offset = code - first;
    let stride = u32::from(stride.max(1));
    if offset % stride != 0 || offset / stride >= u32::from(count) {
        return c;
    }
    char::from_u32(code.wrapping_add_signed(delta)).unwrap_or(c)
}

/// `text` lowercased one character at a time with [`lower`], as C's `towlower` (`find
/// -iname`, `grep -i`) and Go's `strings.ToLower` do: unlike `str::to_lowercase` there are no
/// context rules (a final sigma stays `σ`).
pub fn lowercase(text: &str) -> String {
    text.chars().map(lower).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_point_lowercases_as_the_standard_library_does() {
        for code in 0..=0x10_FFFF {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let expected = c.to_lowercase().next().unwrap_or(c);
            assert_eq!(lower(c), expected, "U+{code:04X}");
        }
    }

    #[test]
    fn hangul_and_digits_stay_as_they_are_and_latin_greek_cyrillic_fold() {
        let folded: String = "포드 ÀÉÎ ΣΑΣ ДНС K8S İ".chars().map(lower).collect();
        assert_eq!(folded, "포드 àéî σασ днс k8s i");
    }
}

//! The cluster's only source of randomness: a seeded PCG-XSH-RR 32 generator.
//!
//! Pod-name suffixes, UIDs, IP allocation and the endpoint that an iptables
//! `--probability` rule picks all come from here, so one seed replays one run exactly.

/// The alphabet apimachinery's `rand.String` uses for generated names (no vowels, no
/// look-alike characters), e.g. the `bw2f9` in `pod-jenkins-lwdgrgp9nq-bw2f9`.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
    increment: u64,
}

impl Rng {
    const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

    pub fn new(seed: u64) -> Rng {
        let mut rng = Rng {
            state: 0,
            increment: (seed << 1) | 1,
        };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed ^ 0x853c_49e6_748f_ea9b);
        rng.next_u32();
        rng
    }

    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old
            .wrapping_mul(Self::MULTIPLIER)
            .wrapping_add(self.increment);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    pub fn next_u64(&mut self) -> u64 {
        (u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())
    }

    /// A uniform integer in `0..bound` (Lemire's unbiased method). `bound` must be non-zero.
    pub fn below(&mut self, bound: u32) -> u32 {
        debug_assert!(bound > 0);
        let bound = bound.max(1);
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u64::from(self.next_u32()) * u64::from(bound);
            if (product as u32) >= threshold {
                return (product >> 32) as u32;
            }
        }
    }

    /// A uniform float in `[0, 1)`, for `statistic --mode random --probability` rules.
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` characters from [`NAME_ALPHABET`], like apimachinery's `rand.String(n)`.
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u32) as usize]))
            .collect()
    }

    /// A version-4 UUID string, as the API server assigns to `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let bytes =
            ((u128::from(hi) << 64) | u128::from(lo)) & !(0xf000u128 << 64) & !(0xc000u128 << 48);
        let bytes = bytes | (0x4000u128 << 64) | (0x8000u128 << 48);
        // Nibble by nibble rather than `format!`: every object the API server stores gets one.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                out.push('-');
            }
            out.push(char::from(HEX[((bytes >> (124 - 4 * i)) & 0xf) as usize]));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_sequence_and_different_seeds_differ() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut c = Rng::new(43);
        let seq_a: Vec<u32> = (0..8).map(|_| a.next_u32()).collect();
        let seq_b: Vec<u32> = (0..8).map(|_| b.next_u32()).collect();
        let seq_c: Vec<u32> = (0..8).map(|_| c.next_u32()).collect();
        assert_eq!(seq_a, seq_b);
        assert_ne!(seq_a, seq_c);
    }

    #[test]
    fn name_suffix_uses_only_the_apimachinery_alphabet() {
        let mut rng = Rng::new(7);
        let suffix = rng.name_suffix(500);
        assert_eq!(suffix.len(), 500);
        assert!(
            suffix.bytes().all(|b| NAME_ALPHABET.contains(&b)),
            "{suffix}"
        );
    }

    #[test]
    fn uuid_is_version_4_with_the_rfc_variant() {
        let mut rng = Rng::new(1);
        let uuid = rng.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4", "{uuid}");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
        let hex = uuid.replace('-', "");
        let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(3);
        assert!((0..1000).all(|_| rng.below(3) < 3));
    }
}

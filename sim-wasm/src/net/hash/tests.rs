use super::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn sha256_matches_the_fips_180_4_test_vectors() {
    assert_eq!(
        hex(&sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&sha256(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

#[test]
fn base32_matches_the_rfc_4648_test_vectors() {
    let cases = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ];
    for (input, expected) in cases {
        assert_eq!(base32(input.as_bytes()), expected, "{input}");
    }
}

#[test]
fn chain_suffix_reproduces_kube_proxys_well_known_names() {
    assert_eq!(
        chain_suffix("default/kubernetes:httpstcp"),
        "NPX46M4PTMTKRN6Y"
    );
    assert_eq!(
        chain_suffix("kube-system/kube-dns:dnsudp"),
        "TCOU7JCQXEZGVUNU"
    );
}

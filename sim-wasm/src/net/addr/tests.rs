use super::*;

#[test]
fn addresses_parse_and_print_back() {
    let ip = Ipv4::parse("10.244.1.5");
    assert_eq!(ip, Some(Ipv4::new(10, 244, 1, 5)));
    assert_eq!(ip.map(|ip| ip.to_string()).as_deref(), Some("10.244.1.5"));
}

#[test]
fn malformed_addresses_are_rejected_without_panicking() {
    for text in [
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "a.b.c.d",
        "1..2.3",
        "01.2.3.4",
        "+1.2.3.4",
    ] {
        assert_eq!(Ipv4::parse(text), None, "{text}");
    }
}

#[test]
fn a_cidr_contains_its_hosts_and_not_its_neighbours() {
    let Some(cidr) = Cidr::parse("10.244.0.0/16") else {
        panic!("valid cidr")
    };
    assert!(cidr.contains(Ipv4::new(10, 244, 255, 1)));
    assert!(!cidr.contains(Ipv4::new(10, 245, 0, 1)));
    assert_eq!(cidr.to_string(), "10.244.0.0/16");
}

#[test]
fn a_bare_address_is_a_slash_32_and_host_bits_are_cleared() {
    assert_eq!(
        Cidr::parse("10.96.0.1").map(|c| c.to_string()).as_deref(),
        Some("10.96.0.1/32")
    );
    assert_eq!(
        Cidr::parse("192.168.171.70/26")
            .map(|c| c.to_string())
            .as_deref(),
        Some("192.168.171.64/26")
    );
    assert_eq!(Cidr::parse("10.0.0.0/33"), None);
}

#[test]
fn blocks_split_into_numbered_subnets() {
    let Some(calico) = Cidr::parse("192.168.0.0/16") else {
        panic!("valid cidr")
    };
    assert_eq!(
        calico.subnet(26, 3).map(|c| c.to_string()).as_deref(),
        Some("192.168.0.192/26")
    );
    assert_eq!(calico.subnet(26, 1024), None);
    assert_eq!(
        calico.nth(1).map(|ip| ip.to_string()).as_deref(),
        Some("192.168.0.1")
    );
}

#[test]
fn pod_record_and_ptr_names_follow_the_dns_spec() {
    let ip = Ipv4::new(10, 244, 1, 5);
    assert_eq!(ip.dashed(), "10-244-1-5");
    assert_eq!(ip.reverse_name(), "5.1.244.10.in-addr.arpa");
}

use super::*;

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn query(line: &str) -> Query {
    match parse(&args(line)) {
        Ok(q) => q,
        Err(e) => panic!("{line}: {e:?}"),
    }
}

#[test]
fn the_device_may_follow_show_with_or_without_dev() {
    for line in [
        "addr show tunl0",
        "addr show dev tunl0",
        "a s tunl0",
        "address list tunl0",
    ] {
        assert_eq!(query(line).device.as_deref(), Some("tunl0"), "{line}");
        assert_eq!(query(line).object, Object::Addr, "{line}");
    }
    assert_eq!(query("link show tunl0").object, Object::Link);
    assert_eq!(query("addr").device, None);
}

#[test]
fn the_family_comes_from_minus_4_minus_6_or_f() {
    assert_eq!(query("-4 addr show tunl0").family, Some(4));
    assert_eq!(query("-6 a").family, Some(6));
    assert_eq!(query("-f inet6 addr").family, Some(6));
    assert_eq!(query("addr").family, None);
}

#[test]
fn a_route_takes_its_device_only_after_dev() {
    let q = query("route show dev eth0");
    assert_eq!(
        (q.object, q.device.as_deref()),
        (Object::Route, Some("eth0"))
    );
    assert_eq!(query("route show table main").device, None);
}

#[test]
fn an_unknown_object_and_a_missing_one_are_told_apart() {
    assert_eq!(parse(&args("neigbour")), Err(Some("neigbour".to_owned())));
    assert_eq!(parse(&args("-4")), Err(None));
}

#[test]
fn filtering_routes_by_device_drops_the_dev_field_as_iproute2_does() {
    let text = "default via 10.0.2.2 dev enp0s3 proto dhcp src 10.0.2.15 metric 100 \n192.168.174.0/26 via 192.168.56.11 dev tunl0 proto bird onlink \n10.0.2.2 dev enp0s3 \n";
    assert_eq!(
        routes_for_device(text, "tunl0"),
        "192.168.174.0/26 via 192.168.56.11 proto bird onlink \n"
    );
    assert_eq!(
        routes_for_device(text, "enp0s3"),
        "default via 10.0.2.2 proto dhcp src 10.0.2.15 metric 100 \n10.0.2.2 \n"
    );
}

#[test]
fn the_missing_device_errors_are_iproute2s_and_busyboxs() {
    assert_eq!(no_device("foo"), "Device \"foo\" does not exist.\n");
    assert_eq!(no_route_device("foo"), "Cannot find device \"foo\"\n");
    assert_eq!(busybox_no_device("foo"), "ip: can't find device 'foo'\n");
}

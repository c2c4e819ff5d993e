//! Render stage: markdown → HTML with comrak, then sanitized with ammonia. The one place
//! where markdown options are set.
//!
//! `cjk_friendly_emphasis` is why comrak: Korean writes `**포드(Pod)**는`, which CommonMark's
//! flanking rule leaves as literal `**` (commonmark-spec#650; ecosystem.md §3.1).

use std::sync::LazyLock;

/// Heading ids get this prefix so a heading can never collide with page ids like `lab`.
const HEADING_ID_PREFIX: &str = "sec-";

static OPTIONS: LazyLock<comrak::Options<'static>> = LazyLock::new(|| {
    let mut options = comrak::Options::default();
    options.extension.cjk_friendly_emphasis = true;
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.alerts = true;
    options.extension.header_id_prefix = Some(HEADING_ID_PREFIX.to_owned());
    options.extension.header_id_prefix_in_href = true;
    // Raw HTML in lessons is not rendered; ammonia below is the second line of defence.
    options.render.r#unsafe = false;
    options
});

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("a", ["aria-label"])
        .add_allowed_classes("a", ["anchor"])
        .add_allowed_classes(
            "div",
            [
                "markdown-alert",
                "markdown-alert-note",
                "markdown-alert-tip",
                "markdown-alert-important",
                "markdown-alert-warning",
                "markdown-alert-caution",
            ],
        )
        .add_allowed_classes("p", ["markdown-alert-title"])
        .add_allowed_classes(
            "code",
            [
                "language-yaml",
                "language-bash",
                "language-json",
                "language-shell",
                "language-text",
            ],
        );
    builder
});

/// Sanitized HTML for a piece of lesson markdown.
pub(crate) fn markdown(text: &str) -> String {
    let html = comrak::markdown_to_html(text, &OPTIONS);
    SANITIZER.clean(&html).to_string()
}

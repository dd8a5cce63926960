//! The pages that are not data: the home page (readiness), Letterboxd's 404, a private profile,
//! and Cloudflare's challenge.

use super::markup::{escape, page};

pub fn home() -> String {
    page(
        "Letterboxd \u{2022} Social film discovery.",
        "class=\"front-page\"",
        "",
        "<section class=\"section\"><h2>Track films you\u{2019}ve watched.</h2></section>",
    )
}

pub fn not_found() -> String {
    page(
        "Page not found",
        "class=\"error\"",
        "",
        "<section class=\"section error-message\"><h1 class=\"title\">Sorry, we can\u{2019}t find the page you\u{2019}ve requested.</h1>\
<p>You may have typed the URL incorrectly, or the page may have been removed.</p></section>",
    )
}

/// What the simulator serves for a member whose profile is not public. (The marker the client
/// recognises: `js-profile-private`.)
pub fn private_profile(name: &str) -> String {
    let name = escape(name);
    page(
        &format!("{name}\u{2019}s profile"),
        "class=\"profile private\"",
        "",
        &format!(
            "<section class=\"section profile-private js-profile-private\" data-person=\"{name}\">\
<h2 class=\"title-3\">This profile is private</h2><p>{name} has chosen to keep their activity private.</p></section>"
        ),
    )
}

/// Cloudflare's managed challenge as a scripted client sees it (served with HTTP 403 and
/// `cf-mitigated: challenge`).
pub fn challenge(ray: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>\
<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\
<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
</head><body><div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\">\
<h1 class=\"zone-name-title h1\">letterboxd.com</h1>\
<h2 class=\"h2\" id=\"challenge-running\">Verifying you are human. This may take a few seconds.</h2>\
<noscript><div class=\"h2\">Enable JavaScript and cookies to continue</div></noscript></div></div>\
<script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: \"letterboxd.com\",cType: 'managed',cRay: '{ray}'}};\
var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray={ray}';\
document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script>\
<div class=\"footer\" role=\"contentinfo\"><div class=\"footer-inner\"><div class=\"clearfix diagnostic-wrapper\">\
<div class=\"ray-id\">Ray ID: <code>{ray}</code></div></div>\
<div class=\"text-center\" id=\"footer-text\">Performance &amp; security by Cloudflare</div></div></div></body></html>"
    )
}

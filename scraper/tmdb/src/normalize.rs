//! Titles as a matcher compares them: "Amélie", "AMELIE" and "Amelie!" are one title, as are
//! "Schindler's List" and "Schindlers List", "Fast & Furious" and "Fast and Furious".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, without diacritics, with `&` read as "and", apostrophes dropped, other
/// punctuation as spaces, and single spaces between words. Scripts without case or accents
/// (Japanese, Korean) pass through unchanged, so they still match themselves.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    let push_word_char = |out: &mut String, pending: &mut bool, c: char| {
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.extend(c.to_lowercase());
    };
    // NFKD splits "é" into "e" and a combining accent (and "ﬁ" into "fi"), so dropping the
    // marks leaves the base letters.
    for c in title.nfkd().filter(|&c| !is_combining_mark(c)) {
        match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => {}
            '&' => {
                pending_space = true;
                for letter in "and".chars() {
                    push_word_char(&mut out, &mut pending_space, letter);
                }
                pending_space = true;
            }
            c if c.is_alphanumeric() => match fold_letter(c) {
                Some(folded) => {
                    for letter in folded.chars() {
                        push_word_char(&mut out, &mut pending_space, letter);
                    }
                }
                None => push_word_char(&mut out, &mut pending_space, c),
            },
            _ => pending_space = true,
        }
    }
    out
}

/// Letters NFKD leaves whole that readers still treat as plain Latin ones.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_diacritics_and_punctuation_do_not_matter() {
        assert_eq!(normalize_title("Amélie"), "amelie");
        assert_eq!(normalize_title("  AMELIE!! "), "amelie");
        assert_eq!(normalize_title("Brüno"), normalize_title("bruno"));
        assert_eq!(normalize_title("Schindler's List"), "schindlers list");
        assert_eq!(normalize_title("Schindler’s List"), "schindlers list");
        assert_eq!(normalize_title("Fast & Furious"), "fast and furious");
        assert_eq!(normalize_title("Fast&Furious"), "fast and furious");
        assert_eq!(normalize_title("10,000 BC"), "10 000 bc");
        assert_eq!(
            normalize_title("Mission: Impossible – Dead Reckoning"),
            "mission impossible dead reckoning"
        );
        assert_eq!(normalize_title("Łódź Straße Æon"), "lodz strasse aeon");
        assert_eq!(normalize_title("Ｗｈｉｐｌａｓｈ"), "whiplash");
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        assert_eq!(normalize_title("千と千尋の神隠し"), "千と千尋の神隠し");
        assert_eq!(normalize_title("기생충"), normalize_title("기생충"));
        assert_eq!(normalize_title("Город"), "город");
        assert_eq!(normalize_title("!!!"), "");
    }
}

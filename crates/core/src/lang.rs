//! The page and answer language, one type for both sides: the browser reads it from `?lang=`,
//! the server from `?lang=` or else `Accept-Language`. Pure string rules, no HTTP types.

/// The language a page is shown or an answer is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文, the default.
    #[default]
    Zh,
    /// English, with `?lang=en`.
    En,
}

impl Lang {
    /// From the value of `?lang=`; anything but `en` is Chinese.
    pub fn from_param(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The `<html lang>` value.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value sent as `Accept-Language`.
    pub fn accept_language(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// `?lang=en` for links in English; nothing in Chinese.
    pub fn query_suffix(self) -> &'static str {
        match self {
            Lang::Zh => "",
            Lang::En => "?lang=en",
        }
    }

    /// A link within the apps that keeps this language: `?lang=en` added to the path, or to
    /// the query it already has; the path as it is in Chinese.
    pub fn href(self, path: &str) -> String {
        match self {
            Lang::Zh => path.to_owned(),
            Lang::En if path.contains('?') => format!("{path}&lang=en"),
            Lang::En => format!("{path}?lang=en"),
        }
    }

    /// The language a raw query string (without `?`) asks for with `lang=en` or `lang=zh`, if
    /// it asks: the server lets it override `Accept-Language`, so a link can force a language.
    pub fn from_query(query: Option<&str>) -> Option<Lang> {
        query?.split('&').find_map(|pair| match pair {
            "lang=en" => Some(Lang::En),
            "lang=zh" => Some(Lang::Zh),
            _ => None,
        })
    }

    /// The best of zh/en in an `Accept-Language` value by its q-values (on a tie, the one
    /// listed first); zh when neither is asked for.
    pub fn from_accept_language(value: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in value.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::Zh
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_english_and_add_it_to_a_query_they_have() {
        assert_eq!(Lang::Zh.href("/join?station=a"), "/join?station=a");
        assert_eq!(Lang::En.href("/join"), "/join?lang=en");
        assert_eq!(Lang::En.href("/join?station=a"), "/join?station=a&lang=en");
    }

    #[test]
    fn english_browser_gets_english() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
    }

    #[test]
    fn chinese_preferred_over_english_by_q_value() {
        assert_eq!(Lang::from_accept_language("en;q=0.5,zh-CN;q=0.9"), Lang::Zh);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::Zh);
    }

    #[test]
    fn on_a_tie_the_first_listed_wins() {
        assert_eq!(Lang::from_accept_language("en,zh"), Lang::En);
        assert_eq!(Lang::from_accept_language("zh;q=0.8,en;q=0.8"), Lang::Zh);
    }

    #[test]
    fn an_empty_or_garbled_header_is_chinese() {
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
        assert_eq!(Lang::from_accept_language(";;,;q=x"), Lang::Zh);
    }

    #[test]
    fn tags_are_case_blind_and_a_bad_q_counts_as_one() {
        assert_eq!(Lang::from_accept_language("EN;q=abc,zh;q=0.9"), Lang::En);
    }

    #[test]
    fn lang_parameter_beats_the_header() {
        assert_eq!(Lang::from_query(Some("q=x&lang=en")), Some(Lang::En));
        assert_eq!(Lang::from_query(Some("lang=zh")), Some(Lang::Zh));
        assert_eq!(Lang::from_query(Some("lang=fr")), None);
        assert_eq!(Lang::from_query(None), None);
    }

    #[test]
    fn only_en_in_the_param_is_english() {
        assert_eq!(Lang::from_param(Some("en")), Lang::En);
        assert_eq!(Lang::from_param(Some("EN")), Lang::Zh);
        assert_eq!(Lang::from_param(None), Lang::Zh);
        assert_eq!(Lang::En.query_suffix(), "?lang=en");
        assert_eq!(Lang::Zh.html_lang(), "zh-CN");
    }
}

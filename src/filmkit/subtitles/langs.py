"""Language codes as translators write them, and what each language implies for a file.

A code such as "pt-BR", "zh_Hans" or "ru" picks the limits a file is linted against and the
legacy encodings its bytes are most likely in (a Russian file that is not UTF-8 is almost
always cp1251; a Chinese one GB2312/GBK).
"""

from __future__ import annotations

import re
from pathlib import Path

# Legacy encodings translators' tools still write, most likely first, by base language.
_CYRILLIC = ("cp1251", "koi8_r", "mac_cyrillic", "iso8859_5", "cp866")
_CENTRAL = ("cp1250", "iso8859_2")
_WESTERN = ("cp1252", "iso8859_15", "mac_roman")
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    **{code: _CYRILLIC for code in ("ru", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn")},
    "uk": ("cp1251", "koi8_u", "mac_cyrillic", "iso8859_5", "cp866"),
    **{code: ("cp1256", "iso8859_6") for code in ("ar", "fa", "ur", "ps")},
    **{code: ("cp1255", "iso8859_8") for code in ("he", "yi")},
    "el": ("cp1253", "iso8859_7"),
    **{code: ("cp1254", "iso8859_9") for code in ("tr", "az")},
    **{code: _CENTRAL for code in ("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq")},
    **{code: ("cp1257", "iso8859_13") for code in ("et", "lv", "lt")},
    "vi": ("cp1258",),
    "th": ("cp874",),
    "zh": ("gb18030", "big5"),
    "ja": ("cp932", "euc_jp", "iso2022_jp"),
    "ko": ("cp949", "euc_kr"),
    **{code: _WESTERN for code in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi",
                                   "is", "ca", "eu", "gl", "ga", "cy", "id", "ms", "sw", "af", "tl", "fil")},
}
TRADITIONAL_CHINESE = ("big5", "gb18030")  # zh-TW, zh-HK, zh-Hant
# Without a language: the encodings Windows tools write, in order of how common they are.
GENERAL_ENCODINGS = ("cp1252", "cp1251", "cp1250", "cp1256", "gb18030", "cp932", "big5", "cp949", "cp1253",
                     "cp1254", "cp1255", "cp1257", "cp874", "koi8_r")

# Languages written right to left (Arabic script: Arabic, Persian, Urdu, Pashto, Sindhi, Uyghur,
# Central Kurdish; Hebrew script: Hebrew, Yiddish; Thaana: Dhivehi).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "dv", "ckb"})

NAMES = {
    "en": "English", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "fa": "Persian", "he": "Hebrew",
    "zh": "Chinese", "zh-hans": "Simplified Chinese", "zh-hant": "Traditional Chinese", "ja": "Japanese",
    "ko": "Korean", "th": "Thai", "hi": "Hindi", "fr": "French", "de": "German", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "pt-br": "Brazilian Portuguese", "nl": "Dutch", "sv": "Swedish",
    "pl": "Polish", "tr": "Turkish", "el": "Greek", "bg": "Bulgarian", "cs": "Czech", "ro": "Romanian",
    "hu": "Hungarian", "vi": "Vietnamese", "id": "Indonesian", "ur": "Urdu", "yi": "Yiddish", "ps": "Pashto",
    "sd": "Sindhi", "ug": "Uyghur", "dv": "Dhivehi", "ckb": "Central Kurdish", "sr": "Serbian", "sk": "Slovak",
    "hr": "Croatian", "sl": "Slovenian", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "be": "Belarusian",
    "kk": "Kazakh", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "nb": "Norwegian",
}

# ISO 639-1 codes, to recognise a language in a file name such as "captions.ru.vtt".
_ISO_639_1 = set("""aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm
sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh
zu""".split())
# Regional variants recognised in file names (a bare pair like "en_es" is ambiguous otherwise).
_LOCALES = {"pt-br", "pt-pt", "zh-cn", "zh-tw", "zh-hk", "zh-sg", "zh-mo", "zh-hans", "zh-hant", "en-us", "en-gb",
            "en-au", "en-ca", "es-es", "es-mx", "es-419", "es-la", "fr-ca", "fr-fr", "de-de", "de-at", "de-ch",
            "sr-latn", "sr-cyrl", "nl-be"}


def normalize(lang: str | None) -> str | None:
    """"pt_BR" -> "pt-br": one spelling for lookups."""
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-") or None


def base(lang: str | None) -> str | None:
    """"pt-br" -> "pt"."""
    code = normalize(lang)
    return code.split("-")[0] if code else None


def is_traditional_chinese(lang: str | None) -> bool:
    code = normalize(lang) or ""
    return base(code) == "zh" and any(part in ("tw", "hk", "mo", "hant") for part in code.split("-")[1:])


_JAPANESE_CODECS = frozenset({"cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004",
                              "euc_jisx0213", "iso2022_jp", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3"})
_KOREAN_CODECS = frozenset({"cp949", "euc_kr", "johab", "iso2022_kr"})


def is_japanese_codec(codec: str) -> bool:
    return codec.replace("-", "_").lower() in _JAPANESE_CODECS


def is_korean_codec(codec: str) -> bool:
    return codec.replace("-", "_").lower() in _KOREAN_CODECS


# The script a language's letters are in, where it has one (Serbian has two).
_SCRIPTS = {
    **{code: "CYRILLIC" for code in ("ru", "uk", "be", "bg", "mk", "kk", "ky", "tg", "mn")},
    **{code: "ARABIC" for code in ("ar", "fa", "ur", "ps", "sd", "ug", "ckb")},
    **{code: "HEBREW" for code in ("he", "yi")},
    "el": "GREEK", "th": "THAI", "ja": "HAN", "zh": "HAN", "ko": "HANGUL",
    **{code: "LATIN" for code in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi", "is",
                                  "ca", "eu", "gl", "ga", "cy", "id", "ms", "sw", "af", "tl", "fil", "pl", "cs", "sk",
                                  "hu", "hr", "sl", "ro", "bs", "sq", "tr", "az", "et", "lv", "lt", "vi")},
}


def expected_script(lang: str | None) -> str | None:
    """"CYRILLIC" for ru, "HAN" for ja and zh (kana included), None when unknown or ambiguous."""
    return _SCRIPTS.get(base(lang) or "")


def is_rtl(lang: str | None) -> bool:
    """Whether `lang` ("ar", "fa-IR", "ckb") is written right to left."""
    code = normalize(lang)
    return bool(code) and (code in RTL_LANGUAGES or base(code) in RTL_LANGUAGES)


def language_for_encoding(codec: str) -> str | None:
    """The first language whose legacy encodings include `codec` ("iso8859-7" -> "el"), for examples."""
    import codecs

    def name(codec_name: str) -> str:
        return codecs.lookup(codec_name).name

    wanted = name(codec)
    return next((lang for lang, table in LEGACY_ENCODINGS.items() if any(name(c) == wanted for c in table)), None)


def legacy_encodings(lang: str | None) -> tuple[str, ...]:
    """Encodings to try for a file in `lang` that is not UTF-8, most likely first."""
    if is_traditional_chinese(lang):
        return TRADITIONAL_CHINESE
    return LEGACY_ENCODINGS.get(base(lang) or "", ())


def language_name(lang: str | None) -> str:
    code = normalize(lang)
    if not code:
        return "no language given"
    return NAMES.get(code) or NAMES.get(base(code) or "") or code


def guess_lang(path: Path) -> str | None:
    """The language a file name ends with: ru.srt, captions.ru.vtt, film_pt-BR.srt, subs-zh-cn.vtt.

    Only the end of the name is read, so "fix_it_now.srt" does not become Italian.
    """
    parts = [part for part in re.split(r"[._\-\s]+", Path(path).stem.lower()) if part]
    if not parts:
        return None
    last = parts[-1]
    if len(parts) >= 2 and f"{parts[-2]}-{last}" in _LOCALES:
        return f"{parts[-2]}-{last}"
    if last in _ISO_639_1:
        return last
    return None

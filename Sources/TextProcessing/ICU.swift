import CICU

/// Facts about the system ICU that Glossa's tokenizer, normalizer and transliterator run on.
public enum ICU {
    /// The ICU version, such as "72.1"; recorded in a model's `config.json` `tokenizer` object.
    public static var version: String { String(cString: glossa_icu_version()) }

    /// The name of an ICU error code, such as "U_ILLEGAL_ARGUMENT_ERROR".
    static func errorName(_ status: Int32) -> String { String(cString: glossa_icu_error_name(status)) }
}

import XCTest
import TextProcessing

/// Golden tokenizations by ICU 72 (Debian 12's libicu72); each line is input → expected tokens.
final class TokenizerGoldenTests: XCTestCase {
    /// (case, input, tokens with the default settings: nfkc_cf, punctuation dropped)
    static let cases: [(String, String, String)] = [
        ("English contractions", "I can't believe it's 5 o'clock, isn't it?", "i can't believe it's 5 o'clock isn't it"),
        ("French elision", "L'homme qu'on aime aujourd'hui.", "l'homme qu'on aime aujourd'hui"),
        ("German ß case-folds to ss", "Die Straße ist GROSS und weiß.", "die strasse ist gross und weiss"),
        ("Turkish dotted İ folds to i + U+0307", "İSTANBUL'da ılık bir gün.", "i\u{307}stanbul'da ılık bir gün"),
        ("Greek final sigma folds to σ", "ΟΔΥΣΣΕΥΣ ήταν σοφός.", "οδυσσευσ ήταν σοφόσ"),
        ("Arabic", "مرحبا بالعالم، كيف حالك؟", "مرحبا بالعالم كيف حالك"),
        ("Hebrew", "שלום עולם, מה שלומך?", "שלום עולם מה שלומך"),
        ("Chinese (dictionary)", "我爱北京天安门。", "我 爱 北京 天安门"),
        ("Japanese (dictionary)", "私は東京に住んでいます。", "私 は 東京 に 住 んで い ます"),
        ("Thai (dictionary)", "ภาษาไทยง่ายนิดเดียว", "ภาษา ไทย ง่าย นิด เดียว"),
        ("Korean", "안녕하세요 세계!", "안녕하세요 세계"),
        ("emoji dropped", "I ❤️ pizza 🍕 and 👍🏽 emoji 😀!", "i pizza and emoji"),
        ("full-width forms", "ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ １２３", "full width text 123"),
        ("numbers", "Pi is 3.14, a million is 1,000,000 and 1.000,5 too.", "pi is 3.14 a million is 1,000,000 and 1.000,5 too"),
        // ICU's root rules count '@' as a letter, so an address stays one token.
        ("e-mail addresses", "Write to john.doe@example.com or JANE_DOE@mail.example.org.", "write to john.doe@example.com or jane_doe@mail.example.org"),
        ("URLs", "See https://www.example.com/a/b?x=1&y=2#frag now.", "see https www.example.com a b x 1 y 2 frag now"),
        ("protected specials", "Mixed <unk> and <eos> stay whole, even in a<unk>b.", "mixed <unk> and <eos> stay whole even in a <unk> b"),
        ("compatibility characters", "ﬁnancial ½ Ⅻ ㎏ ﬀ", "financial 1⁄2 xii kg ff"),
        ("empty line", "", ""),
        ("only punctuation and spaces", "  ... !? --  ", ""),
    ]

    func testDefaultICUTokenization() {
        let tokenizer = Tokenizer(settings: .icu())
        for (name, input, expected) in Self.cases {
            XCTAssertEqual(tokenizer.tokens(input).joined(separator: " "), expected, name)
        }
    }

    func testGoldensHoldWithoutTheASCIIFastPath() {
        let tokenizer = Tokenizer(settings: .icu())
        tokenizer.setASCIIFastPathForTesting(false)
        for (name, input, expected) in Self.cases {
            XCTAssertEqual(tokenizer.tokens(input).joined(separator: " "), expected, name)
        }
    }

    func testKeepPunctuation() {
        let tokenizer = Tokenizer(settings: .icu(keepPunctuation: true))
        let expected: [(String, String)] = [
            ("I can't believe it's 5 o'clock, isn't it?", "i can't believe it's 5 o'clock , isn't it ?"),
            ("I ❤️ pizza 🍕 and 👍🏽 emoji 😀!", "i ❤ pizza 🍕 and 👍🏽 emoji 😀 !"),
            ("我爱北京天安门。", "我 爱 北京 天安门 。"),
            ("See https://www.example.com/a?x=1 now.", "see https : / / www.example.com / a ? x = 1 now ."),
            ("john.doe@example.com, a:b", "john.doe@example.com , a : b"),
            ("  \t  ", ""),
        ]
        for (input, tokens) in expected { XCTAssertEqual(tokenizer.tokens(input).joined(separator: " "), tokens, input) }
    }

    func testNoCasefoldKeepsCaseButNormalizesWidth() {
        let tokenizer = Tokenizer(settings: .icu(casefold: false))
        XCTAssertEqual(tokenizer.tokens("Die Straße, ＡＢＣ!"), ["Die", "Straße", "ABC"])
        XCTAssertEqual(tokenizer.tokens("Don't STOP"), ["Don't", "STOP"])
    }

    func testProtectedTokens() {
        let tokenizer = Tokenizer(settings: .icu(protectedTokens: ["<num>", "C++"]))
        XCTAssertEqual(tokenizer.tokens("I write C++ since <num> years <pad><bos>"),
                       ["i", "write", "C++", "since", "<num>", "years", "<pad>", "<bos>"])
        // Protected tokens match the raw text, so a different case is an ordinary word.
        XCTAssertEqual(tokenizer.tokens("<UNK>"), ["unk"])
    }

    func testWhitespaceTokenizerSplitsOnWhiteSpaceOnly() {
        let tokenizer = Tokenizer(settings: .whitespace)
        XCTAssertEqual(tokenizer.tokens(" the N. <unk> Co.\tsaid\u{00A0}$ 1,000 ’s "), ["the", "N.", "<unk>", "Co.", "said", "$", "1,000", "’s"])
        XCTAssertEqual(tokenizer.tokens("a\u{3000}b\u{2009}c\u{85}d"), ["a", "b", "c", "d"])
        XCTAssertEqual(tokenizer.tokens(""), [])
        XCTAssertEqual(tokenizer.tokens("   "), [])
    }

    func testIDsMatchTokens() throws {
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "sat"])
        let tokenizer = Tokenizer(settings: .icu())
        XCTAssertEqual(tokenizer.ids("The cat sat on the mat <eos>", vocabulary: vocabulary), [4, 5, 6, 1, 4, 1, 3])
        XCTAssertEqual(tokenizer.ids("", vocabulary: vocabulary), [])
    }
}

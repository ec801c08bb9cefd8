"""Our own text in every script the font manifest serves, for the text-layer tests.

Each entry: locale, script name, paragraphs (each chosen for what shaping does to it),
and a few words to search for. The text is ours, written for these tests.
"""

from __future__ import annotations

SAMPLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # Devanagari: pre-base matra (ि), conjuncts (क्ष, त्र, र्च), reph, anusvara, nukta.
    "hi-IN": (
        "Devanagari",
        (
            "कंप्यूटर विज्ञान सीखने के लिए यह क्षेत्र सबसे अच्छा है।",
            "वर्चुअल कार्यक्रम में बच्चे करके सीखते हैं और मज़ा करते हैं।",
            "श्रीमती प्रियंका ने शिक्षकों के लिए ट्रेनिंग की व्यवस्था की।",
        ),
        ("क्षेत्र", "वर्चुअल", "प्रियंका"),
    ),
    # Bengali: pre-base vowel signs (ি, ে), two-part vowels (ো, ৌ), conjuncts, ya-phala.
    "bn-BD": (
        "Bengali",
        (
            "কম্পিউটার বিজ্ঞান শেখা সবার জন্য খোলা।",
            "শিক্ষার্থীরা কৌতূহল নিয়ে নতুন কিছু তৈরি করবে।",
        ),
        ("কম্পিউটার", "শিক্ষার্থীরা"),
    ),
    # Tamil: pre-base and two-part vowel signs (ெ, ே, ொ, ோ), pulli.
    "ta-IN": (
        "Tamil",
        (
            "செல்லுங்கள், கணினி அறிவியல் கற்றுக்கொள்ளுங்கள்.",
            "தமிழ்செல்வி பள்ளிக்கு மகிழ்ச்சியோடு வந்தாள்.",
        ),
        ("செல்லுங்கள்", "தமிழ்செல்வி"),
    ),
    # Telugu: below-base conjuncts, vowel signs above and below.
    "te-IN": (
        "Telugu",
        (
            "కంప్యూటర్ సైన్స్ నేర్చుకోండి, ఇది అందరికీ.",
            "విద్యార్థులు క్షేత్రంలో కొత్త ప్రాజెక్టులు చేస్తారు.",
        ),
        ("కంప్యూటర్", "విద్యార్థులు"),
    ),
    # Thai: sara am (shares its glyph with sara aa), stacked tone marks, leading vowels.
    "th-TH": (
        "Thai",
        (
            "ระหว่างที่ผู้เรียนเริ่มต้นเขียนโปรแกรม สำหรับทุกคน",
            "เรื่องราวของคอมพิวเตอร์ที่น่าตื่นเต้น",
        ),
        ("ระหว่าง", "สำหรับ"),
    ),
    # Khmer: coeng subscripts, pre-base vowels, split vowels.
    "km-KH": (
        "Khmer",
        (
            "កុំព្យូទ័រ សម្រាប់ សិស្ស ទាំងអស់",
            "ការរៀនសរសេរកូដ គឺសប្បាយណាស់",
        ),
        ("ការរៀនសរសេរកូដ", "សប្បាយ"),
    ),
    # Myanmar: medials, pre-base vowel sign e, asat, kinzi-free stacking.
    "my-MM": (
        "Myanmar",
        (
            "ကွန်ပျူတာ သိပ္ပံ ကို လေ့လာပါ",
            "ကျောင်းသားများ အတူတကွ ကုဒ်ရေးကြသည်",
        ),
        ("ကွန်ပျူတာ", "ကျောင်းသားများ"),
    ),
    # Arabic: lam-alef ligatures (لا, لأ, لإ), alef maksura, harakat and tanween.
    "ar-SA": (
        "Arabic",
        (
            "العائلات إلى الطلاب لأن الأطفال يحبون البرمجة",
            "مَرْحَبًا بِكُمْ فِي سَاعَةِ البَرْمَجَةِ",
        ),
        ("العائلات", "الطلاب"),
    ),
    # Hebrew: plain text and niqqud (points positioned over and under the letters).
    "he-IL": (
        "Hebrew",
        (
            "שלום לכל המשפחות והתלמידים",
            "שָׁלוֹם עוֹלָם, בְּרוּכִים הַבָּאִים",
        ),
        ("המשפחות", "והתלמידים"),
    ),
    "zh-CN": (
        "Han (Simplified)",
        ("计算机科学教育周，每个学生都可以参加。", "老师们准备了很多有趣的活动。"),
        ("计算机科学", "有趣"),
    ),
    "ja-JP": (
        "Japanese",
        ("プログラミングを一緒に学びましょう。", "先生と生徒が協力して作品を作ります。"),
        ("プログラミング", "作品"),
    ),
    "ko-KR": (
        "Korean",
        ("컴퓨터 과학을 함께 배워 봅시다.", "학생들이 직접 게임을 만듭니다."),
        ("컴퓨터", "학생들이"),
    ),
    # Latin with combining marks (decomposed on purpose) and an fi/ff ligature.
    "vi-VN": (
        "Latin with combining marks",
        (
            "Ti\u0301m hie\u0302\u0309u ve\u0302\u0300 khoa ho\u0323c ma\u0301y ti\u0301nh",
            "Cafe\u0301 nai\u0308ve: efficient office staff",
        ),
        ("khoa", "efficient"),
    ),
}

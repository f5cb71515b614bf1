"""A labelled, synthetic set of registrations made the way 13 field offices make them.

Deterministic for a seed; no real person is described (every name is a common given or
family name, combined at random). Each true person ("entity") is registered one to three
times, each time by an office that writes either German-style or English-style
transliterations (Schewtschenko / Shevchenko, Dschawad / Javad, Jussuf / Yusuf, Chaled /
Khaled), with the noise intake work produces: Al-/El- prefixes written or dropped,
placeholder birth dates 01.01.YYYY, a bare year, an estimated year one off, day and month
swapped, one digit wrong, a missing date, given and family names swapped, the father's name
moved into the given names (Eritrea, Somalia), Somali spellings (Maxamed, Cabdi), typos,
the original script present or not, sex or nationality left empty. Households are made of
spouses, children (twins among them) and the father's name passed to sons, so look-alikes
that are different people (twins, siblings, father and son, Hassan / Hussein) occur as in
a real Integration Point. Name frequencies follow a Zipf law per pool: many Mohammeds.

`generate(n)` returns `(persons, truth)`: person rows shaped like the `person` table plus
`office`, and `truth[person_id] = entity id`. `true_pairs(truth)` gives the labelled pairs.
Used by tests/app/test_linkage*.py (a small fixed set) and bench/bench_linkage.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import string

# name: (original script, English-style spellings, German-style spellings); first is the most common
_N = tuple[str, tuple[str, ...], tuple[str, ...]]


def _p(spec: str) -> _N:
    orig, en, de = (spec.split("|") + [""])[:3]
    en_t = tuple(en.split("/"))
    return orig, en_t, tuple(de.split("/")) if de else en_t


POOLS: dict[str, list[_N]] = {k: [_p(s) for s in v] for k, v in {
    "arabic_m": ["محمد|Mohammed/Muhammad/Mohamad/Mohamed/Mohammad|Mohammed/Mohamed/Muhammed",
                 "أحمد|Ahmad/Ahmed|Ahmad/Achmed/Ahmed", "علي|Ali", "حسن|Hassan/Hasan", "حسين|Hussein/Hussain/Husain",
                 "خالد|Khaled/Khalid|Chaled/Khaled", "عمر|Omar/Umar", "يوسف|Yousef/Youssef/Yusuf|Jussuf/Yousef/Jusuf",
                 "محمود|Mahmoud/Mahmud", "عبد الله|Abdullah/Abdallah/Abdulla", "سامر|Samer", "سمير|Samir",
                 "وليد|Walid/Waleed", "حامد|Hamid/Hamed", "أمين|Amin/Ameen", "كريم|Karim/Kareem", "إبراهيم|Ibrahim",
                 "مصطفى|Mustafa/Moustafa", "طارق|Tarek/Tariq", "باسل|Basel/Basil", "جمال|Jamal|Dschamal/Jamal",
                 "زياد|Ziad/Ziyad|Siad/Ziad", "فراس|Firas/Feras", "شادي|Shadi|Schadi/Shadi"],
    "arabic_f": ["فاطمة|Fatima/Fatma", "أمينة|Amina/Aminah", "عائشة|Aisha/Aysha|Aischa/Aisha",
                 "مريم|Maryam/Mariam|Mariam/Marjam", "نور|Nour/Noor/Nur", "رانيا|Rania/Ranya",
                 "ليلى|Layla/Leila/Laila", "زينب|Zainab/Zeinab|Sainab/Zainab", "هبة|Hiba/Heba", "هدى|Huda/Hoda",
                 "سميرة|Samira", "رشا|Rasha|Rascha/Rasha", "دعاء|Duaa/Doaa", "ياسمين|Yasmin/Yasmeen|Jasmin/Yasmin"],
    "arabic_fam": ["الحسن|Al-Hassan/Alhasan/Al Hassan/El-Hassan|Al-Hassan/Alhasan/El-Hassan/Hassan",
                   "الأحمد|Al-Ahmad/Alahmad|Al-Ahmad/El-Achmed", "حداد|Haddad", "الخطيب|Al-Khatib/Alkhatib|El-Chatib/Al-Khatib",
                   "درويش|Darwish|Darwisch", "المصري|Al-Masri/Almasri|El-Masri/Al-Masri", "حمدان|Hamdan",
                   "خليل|Khalil|Chalil/Khalil", "منصور|Mansour/Mansur", "ناصر|Nasser/Naser", "عثمان|Othman/Osman",
                   "صالح|Saleh/Salih", "الزعبي|Al-Zoubi/Alzoubi|Al-Soubi/Al-Zoubi", "شاهين|Shaheen/Shahin|Schahin/Shahin",
                   "حسين|Hussein/Hussain", "الحسيني|Al-Husseini/Alhusseini", "العلي|Al-Ali/Alali", "يوسف|Youssef/Yousef|Jussuf/Youssef",
                   "الشيخ|Al-Sheikh/Alsheikh|Al-Scheich/Al-Sheikh", "عيسى|Issa/Eissa"],
    "dari_m": ["محمد|Mohammad/Mohammed/Muhammad", "احمد|Ahmad/Ahmed", "علی|Ali", "رضا|Reza|Resa/Reza", "حامد|Hamid",
               "حسین|Hossein/Hussain|Hossein/Hussein", "مهدی|Mehdi/Mahdi", "جواد|Javad/Jawad|Dschawad/Jawad",
               "فرید|Farid/Fareed", "مسعود|Masoud/Masood|Massud/Masoud", "نجیب|Najib/Najeeb|Nadschib/Najib",
               "عبدالله|Abdullah/Abdulla", "سهراب|Sohrab", "یوسف|Yousuf/Yusuf|Jussuf/Yusuf"],
    "dari_f": ["فاطمه|Fatemeh/Fatima", "زهرا|Zahra|Sahra/Zahra", "مریم|Maryam/Mariam", "پریسا|Parisa",
               "شیرین|Shirin|Schirin/Shirin", "معصومه|Masoumeh/Masuma", "سمیرا|Samira", "نرگس|Narges/Nargis",
               "لیلا|Leila/Laila"],
    "dari_fam": ["حسینی|Hosseini/Husseini/Hoseini", "محمدی|Mohammadi/Mohamadi", "احمدی|Ahmadi", "رحیمی|Rahimi",
                 "عظیمی|Azimi", "کریمی|Karimi", "سلطانی|Sultani/Soltani", "حیدری|Haidari/Heidari/Haydari",
                 "نوری|Noori/Nouri/Nuri", "جعفری|Jafari/Jaafari|Dschafari/Jafari", "رضایی|Rezaei/Rezai|Resai/Rezaei",
                 "امیری|Amiri", "صدیقی|Siddiqi/Sediqi", "نظری|Nazari|Nasari/Nazari"],
    "ti_m": ["ዮናስ|Yonas|Jonas/Yonas", "ተስፋይ|Tesfay/Tesfai", "መሓሪ|Mehari", "ፍልሞን|Filmon", "ኣብርሃም|Abraham/Abrham",
             "ዳንኤል|Daniel", "ሚካኤል|Michael/Mikael", "ኪዳነ|Kidane", "ሰመረ|Semere", "ተኽለ|Tekle", "ሃብተ|Habte",
             "ብርሃነ|Berhane", "ገብረ|Gebre/Ghebre"],
    "ti_f": ["ሰናይት|Senait/Senayt", "ሰምሃር|Semhar", "ሰላም|Selam", "ሄለን|Helen", "ሚልየን|Milen", "ለተ|Lete",
             "ኣዳነች|Adanech", "ፅገ|Tsige"],
    "ti_fam": ["ገብረመድህን|Gebremedhin/Ghebremedhin/Gebremedin", "ተስፋማርያም|Tesfamariam/Tesfamaryam", "ሃይለ|Haile",
               "ወልዱ|Woldu/Weldu", "ገብረኣብ|Ghebreab/Gebreab", "ሃብቶም|Habtom", "ተወልደ|Tewelde", "ኣስመሮም|Asmerom",
               "ዮሃንስ|Yohannes|Johannes/Yohannes", "በርሀ|Berhe"],
    "uk_m": ["Олександр|Oleksandr|Oleksandr/Olexandr", "Андрій|Andrii/Andriy|Andrij", "Сергій|Serhii/Serhiy|Serhij",
             "Юрій|Yurii/Yuriy|Jurij", "Микола|Mykola", "Іван|Ivan|Iwan/Ivan", "Дмитро|Dmytro", "Віктор|Viktor|Wiktor/Viktor",
             "Василь|Vasyl|Wassyl/Vasyl", "Олег|Oleh", "Максим|Maksym|Maxym/Maksym", "Богдан|Bohdan"],
    "uk_f": ["Олена|Olena", "Ольга|Olha/Olga|Olha/Olga", "Ірина|Iryna|Iryna/Irina", "Наталія|Nataliia/Natalia|Natalija",
             "Тетяна|Tetiana|Tetjana", "Юлія|Yuliia/Yulia|Julija", "Вікторія|Viktoriia|Wiktorija/Viktorija",
             "Оксана|Oksana", "Іванна|Ivanna|Iwanna/Ivanna", "Олександра|Oleksandra|Oleksandra/Olexandra",
             "Людмила|Liudmyla/Lyudmyla|Ljudmyla"],
    "uk_fam": ["Шевченко|Shevchenko|Schewtschenko", "Савченко|Savchenko|Sawtschenko", "Ткачук|Tkachuk|Tkatschuk",
               "Коваленко|Kovalenko|Kowalenko", "Бондаренко|Bondarenko", "Мельник|Melnyk|Melnyk/Melnik",
               "Кравченко|Kravchenko|Krawtschenko", "Бойко|Boiko/Boyko|Bojko", "Шаповал|Shapoval|Schapowal",
               "Лисенко|Lysenko|Lyssenko", "Жук|Zhuk|Schuk", "Яремчук|Yaremchuk|Jaremtschuk", "Мороз|Moroz|Moros",
               "Поліщук|Polishchuk|Polischtschuk", "Олійник|Oliinyk|Olijnyk"],
    "so_m": ["Mohamed|Mohamed/Maxamed/Mohammed", "Abdi|Abdi/Cabdi", "Ahmed|Ahmed/Axmed", "Hassan|Hassan/Xasan",
             "Ali|Ali/Cali", "Omar|Omar/Cumar", "Abdullahi|Abdullahi/Cabdullaahi", "Yusuf|Yusuf/Yuusuf",
             "Ismail|Ismail/Ismaaciil"],
    "so_f": ["Fadumo|Fadumo/Faadumo", "Hodan|Hodan", "Sahra|Sahra/Saxra", "Amina|Amina/Aamina", "Hawa|Hawa/Xawo",
             "Asha|Asha/Caasha", "Ifrah|Ifrah/Ifraax"],
    "tr_m": ["Mehmet|Mehmet/Mehmed", "Ahmet|Ahmet", "Mustafa|Mustafa", "Hüseyin|Hüseyin/Huseyin|Hüseyin/Hueseyin",
             "Murat|Murat", "Emre|Emre", "İbrahim|Ibrahim"],
    "tr_f": ["Ayşe|Ayse/Aysha|Ayse/Ayşe", "Fatma|Fatma", "Emine|Emine", "Zeynep|Zeynep/Zeinab|Zeynep",
             "Elif|Elif", "Hatice|Hatice/Hatidje"],
    "tr_fam": ["Yılmaz|Yilmaz|Yilmaz/Yılmaz", "Kaya|Kaya", "Demir|Demir", "Şahin|Sahin|Sahin/Schahin",
               "Çelik|Celik|Celik/Tschelik", "Öztürk|Ozturk|Öztürk/Oeztuerk", "Aydın|Aydin", "Arslan|Arslan"],
}.items()}


_DE = {"shch": "schtsch", "kh": "ch", "zh": "sch", "sh": "sch", "ch": "tsch", "jj": "dsch", "j": "dsch", "v": "w"}
_DE_RE = re.compile("|".join(sorted(_DE, key=len, reverse=True)) + "|y(?=[aeiou])", re.IGNORECASE)


def _de(en: str) -> str:
    """A German-style spelling of an English-style transliteration (Kovalchuk -> Kowaltschuk)."""
    def sub(m: re.Match) -> str:
        g = m.group()
        out = _DE.get(g.lower(), "j")
        return out.capitalize() if g[0].isupper() else out
    return _DE_RE.sub(sub, en)


def _tail(names: list[str], article: bool = False) -> list[_N]:
    out = []
    for n in names:
        en = [n] + ([f"Al-{n}", f"Al{n.lower()}", f"El-{n}"] if article else [])
        de = [_de(x) for x in en]
        out.append(("", tuple(en), tuple(dict.fromkeys(de + en[:1]))))
    return out


# the long tail of family names: real registers hold thousands, each rare
TAILS: dict[str, list[_N]] = {
    "arabic_fam": _tail([r + s for r in ("Hamad", "Najjar", "Sabbagh", "Qasim", "Rifai", "Jaber", "Khoury", "Tamim",
                                         "Obeid", "Zein", "Halab", "Sham", "Hakim", "Fares", "Badr", "Rashid", "Sayed",
                                         "Taha", "Yassin", "Zaher", "Bakr", "Dabbagh", "Harir", "Kurd", "Jundi",
                                         "Omar", "Qadr", "Sharif", "Sultan", "Wahb", "Zaidan", "Haj", "Hamw",
                                         "Ayoub", "Baghdad", "Homs", "Idlib", "Kanaan", "Jabal", "Shawa")
                         for s in ("", "i")], article=True),
    "dari_fam": _tail([r + s for r in ("Nazar", "Wahid", "Habib", "Shah", "Yousuf", "Qadir", "Rasul", "Safar",
                                       "Jalal", "Kabir", "Latif", "Majid", "Nasir", "Rahman", "Sadiq", "Tahir", "Wali",
                                       "Zaman", "Akbar", "Baqir", "Dawood", "Faiz", "Ghani", "Jamil", "Mirza",
                                       "Sharifi", "Khan", "Omid", "Rahim", "Samad")
                       for s in ("i", "zada", "yar")]),
    "uk_fam": _tail([r + s for r in ("Kovalch", "Petr", "Ivan", "Marchen", "Lytvyn", "Hryts", "Pavl", "Dmytr", "Vasyl",
                                     "Yakov", "Kuzm", "Ostap", "Fedor", "Hnat", "Kyryl", "Levch", "Mykhail", "Nesterch",
                                     "Romanch", "Semen", "Stepan", "Tymosh", "Yurch", "Zhytn", "Shvets", "Chorn",
                                     "Kharch", "Sydor", "Prokop", "Danyl")
                     for s in ("enko", "uk", "yshyn", "ak")]),
    "ti_fam": _tail([a + b for a in ("Tesfa", "Gebre", "Haile", "Wolde", "Kidane", "Tekle", "Berhane", "Habte")
                     for b in ("mariam", "michael", "gabriel", "giorgis", "yohannes", "selassie", "tsion", "medhin")]),
    "so_m": _tail(["Warsame", "Jama", "Farah", "Hirsi", "Nur", "Osman", "Aden", "Dahir", "Egal", "Gedi", "Guled",
                   "Mahad", "Muse", "Qalib", "Roble", "Samatar", "Shire", "Yasin", "Abdirahman", "Abdirashid",
                   "Abdiwali", "Bashir", "Dirie", "Elmi", "Kahin", "Madar", "Hersi", "Abdikarim", "Awale", "Barre"]),
    "tr_fam": _tail(["Yildiz", "Ozdemir", "Aksoy", "Korkmaz", "Cetin", "Kurt", "Ozkan", "Simsek", "Polat", "Erdogan",
                     "Gunes", "Dogan", "Kilic", "Aslan", "Cakir", "Turan", "Bulut", "Karaca", "Keskin", "Tekin",
                     "Yavuz", "Tas", "Kocak", "Uysal", "Avci", "Bozkurt", "Durmaz", "Sari", "Ekinci", "Guler"]),
}
TAIL_SHARE = 0.55  # of family names drawn from the tail

# origin: nationality, weight, pools, whether the family name is the father's given name (Eritrea, Somalia)
ORIGINS = (
    ("SY", 30, "arabic_m", "arabic_f", "arabic_fam", False), ("IQ", 8, "arabic_m", "arabic_f", "arabic_fam", False),
    ("AF", 16, "dari_m", "dari_f", "dari_fam", False), ("IR", 5, "dari_m", "dari_f", "dari_fam", False),
    ("ER", 9, "ti_m", "ti_f", "ti_fam", True), ("UA", 18, "uk_m", "uk_f", "uk_fam", False),
    ("SO", 5, "so_m", "so_f", "so_m", True), ("TR", 9, "tr_m", "tr_f", "tr_fam", False),
)
LANG = {"SY": "ar", "IQ": "ar", "AF": "prs", "IR": "fa", "ER": "ti", "UA": "uk", "SO": "so", "TR": "tr"}
FEMALE_FORMS = {"Oleksandr": "Oleksandra", "Ivan": "Ivanna", "Amin": "Amina", "Samir": "Samira"}
REF_YEAR = 2026
DUPLICATE_SHARE = 0.12  # of true persons registered twice (a few three times)


def _zipf(n: int) -> list[float]:
    return [1 / (i + 1) ** 1.1 for i in range(n)]


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.n = 0
        self.weights = {k: _zipf(len(v)) for k, v in POOLS.items()}
        self.tail_weights = {k: [1 / (i + 1) ** 0.6 for i in range(len(v))] for k, v in TAILS.items()}

    def uid(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n:07d}"

    def name(self, pool: str, family: bool = False) -> _N:
        if family and pool in TAILS and self.rng.random() < TAIL_SHARE:
            return self.rng.choices(TAILS[pool], self.tail_weights[pool])[0]
        return self.rng.choices(POOLS[pool], self.weights[pool])[0]

    # -- a true person -------------------------------------------------------------------
    def household(self) -> list[dict]:
        rng = self.rng
        nat, _w, male, female, fam, patronymic = rng.choices(ORIGINS, [o[1] for o in ORIGINS])[0]
        head_sex = rng.choices("mf", [7, 3])[0]
        family = self.name(fam, family=True)
        head_year = rng.randint(1958, 2004)
        head = self.truth(nat, head_sex, male if head_sex == "m" else female, family, head_year, patronymic, None)
        members = [head]
        shape = rng.random()
        if shape > 0.35 and head_year < 2001:  # spouse and children
            if head_sex == "m":
                wife_family = family if not patronymic else self.name(fam, family=True)
                members.append(self.truth(nat, "f", female, wife_family, head_year + rng.randint(-2, 6),
                                          patronymic, None))
            for _ in range(rng.choices([0, 1, 2, 3, 4], [2, 3, 4, 3, 2])[0]):
                year = min(head_year + rng.randint(20, 38), REF_YEAR - 1)
                sex = rng.choice("mf")
                child = self.truth(nat, sex, male if sex == "m" else female, family, year, patronymic,
                                   head if head_sex == "m" else None)
                members.append(child)
                if rng.random() < 0.06:  # twins: same day, same family, another given name
                    sex2 = rng.choice("mf")
                    twin = self.truth(nat, sex2, male if sex2 == "m" else female, family, year, patronymic,
                                      head if head_sex == "m" else None)
                    twin["birth"] = child["birth"]
                    if child["given"][0][1][0] in FEMALE_FORMS and sex2 != sex:  # Ivan and Ivanna
                        twin["given"] = [next(n for n in POOLS[female]
                                              if n[1][0] == FEMALE_FORMS[child["given"][0][1][0]])]
                    members.append(twin)
            if head_sex == "m" and rng.random() < 0.15:  # a son named after his father (father and son)
                son = self.truth(nat, "m", male, family, min(head_year + rng.randint(20, 30), REF_YEAR - 1),
                                 patronymic, head)
                son["given"] = list(head["given"][:1])
                members.append(son)
        return members

    def truth(self, nat, sex, pool, family, year, patronymic, father) -> dict:
        rng = self.rng
        given = [self.name(pool)]
        if rng.random() < 0.12 and not patronymic:
            given.append(self.name(pool))
        if patronymic:
            father_name = father["given"][0] if father else self.name(POOLS_MALE[pool])
            fam = [father_name, family] if rng.random() < 0.5 else [father_name]
        else:
            fam = [family]
        birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        return {"entity": self.uid("e"), "nat": nat, "sex": sex, "given": given, "family": fam, "birth": birth,
                "lang": LANG[nat], "phone": f"01{rng.randint(50, 79)}{rng.randrange(10**7):07d}"
                if rng.random() < 0.6 else None}

    # -- one registration of a true person ----------------------------------------------
    def spell(self, name: _N, style: str) -> str:
        rng = self.rng
        variants = name[2] if style == "de" else name[1]
        text = variants[0] if rng.random() < 0.55 else rng.choice(variants)
        if rng.random() < 0.04:
            text = self.typo(text)
        return text

    def typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 4:
            return text
        i = rng.randrange(1, len(text) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return text[:i] + text[i + 1:]
        if kind == 1:
            return text[:i] + text[i] + text[i:]
        if kind == 2:
            return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]

    def date(self, born: dt.date) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < 0.50:
            return born.isoformat()
        if r < 0.70:
            return f"{born.year}-01-01"
        if r < 0.75:
            return str(born.year)
        if r < 0.81:  # an estimated age: the year one off, as a placeholder
            return f"{born.year + rng.choice((-1, 1))}-01-01"
        if r < 0.86 and born.day <= 12 and born.day != born.month:
            return f"{born.year}-{born.day:02d}-{born.month:02d}"
        if r < 0.91:
            s = list(born.isoformat())
            pos = rng.choice([3, 6, 9])
            s[pos] = str((int(s[pos]) + rng.randint(1, 8)) % 10)
            try:
                return dt.date.fromisoformat("".join(s)).isoformat()
            except ValueError:
                return born.isoformat()
        if r < 0.95:
            return None
        return born.isoformat()

    def register(self, t: dict, hh_id: str, office: str, style: str, relation: str) -> dict:
        rng = self.rng
        given = [self.spell(n, style) for n in t["given"]]
        family = [self.spell(n, style) for n in t["family"]]
        if len(family) == 2 and rng.random() < 0.5:  # the father's name written with the given names
            given, family = given + family[:1], family[1:]
        if rng.random() < 0.05:
            given, family = family, given
        orig = rng.random() < 0.55 and all(n[0] and not n[0].isascii() for n in t["given"] + t["family"])  # tail names: Latin only
        p = {"id": self.uid("p"), "household_id": hh_id, "office": office, "relation": relation,
             "family_name": " ".join(family), "given_names": " ".join(given),
             "family_name_orig": " ".join(n[0] for n in t["family"]) if orig else None,
             "given_names_orig": " ".join(n[0] for n in t["given"]) if orig else None,
             "birth_date": self.date(t["birth"]), "sex": t["sex"] if rng.random() < 0.93 else None,
             "nationality": t["nat"] if rng.random() < 0.9 else None,
             "country_of_origin": t["nat"] if rng.random() < 0.5 else None,
             "languages": [{"language": t["lang"], "level": "native"}] if rng.random() < 0.7 else None,
             "phone": t["phone"] if t["phone"] and rng.random() < 0.5 else None}
        return p


POOLS_MALE = {"arabic_m": "arabic_m", "arabic_f": "arabic_m", "ti_m": "ti_m", "ti_f": "ti_m",
              "so_m": "so_m", "so_f": "so_m"}
OFFICES = ("AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS", "SEN", "TEL", "WAD", "WAF")


def generate(n: int, seed: int = 16) -> tuple[list[dict], dict[str, str]]:
    """About `n` person rows (with `office`) and the truth: person id -> entity id."""
    g = _Gen(seed)
    rng = g.rng
    persons: list[dict] = []
    truth: dict[str, str] = {}
    while len(persons) < n:
        members = g.household()
        times = rng.choices([1, 2, 3], [1 - DUPLICATE_SHARE, DUPLICATE_SHARE * 0.9, DUPLICATE_SHARE * 0.1])[0]
        offices = rng.sample(OFFICES, times)
        for k, office in enumerate(offices):
            hh_id = g.uid("h")
            style = "de" if rng.random() < 0.5 else "en"
            # a second registration is often of the head (and the spouse) only, in another office
            who = members if k == 0 else [m for i, m in enumerate(members) if i == 0 or rng.random() < 0.5]
            for i, t in enumerate(who):
                p = g.register(t, hh_id, office, style, "head" if i == 0 else "other")
                persons.append(p)
                truth[p["id"]] = t["entity"]
    return persons, truth


def true_pairs(truth: dict[str, str]) -> set[tuple[str, str]]:
    by_entity: dict[str, list[str]] = {}
    for pid, ent in truth.items():
        by_entity.setdefault(ent, []).append(pid)
    return {tuple(sorted(pair)) for ids in by_entity.values() for pair in itertools.combinations(ids, 2)}


def evaluate(found: list[tuple[str, str]], truth: dict[str, str]) -> dict[str, float]:
    """Precision, recall and F1 of the pairs found against the labels."""
    pairs = {tuple(sorted(p)) for p in found}
    real = true_pairs(truth)
    tp = len(pairs & real)
    precision = tp / len(pairs) if pairs else 1.0
    recall = tp / len(real) if real else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "found": len(pairs), "true": len(real), "tp": tp}

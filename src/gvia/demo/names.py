"""Name parts for the demo business, in Hebrew and English, as plain data.

Every entry that a generated name is built from is a ``(hebrew, english)`` pair, so one
random choice gives both spellings: the customer's name is written in the demo's
language, and the English spelling also makes the e-mail address (``cohen-marketing``).
The lists are written for gvia (no third-party name lists) and mix the names one meets
on Israeli invoices: Hebrew, Arabic and Russian first and last names, company names made
of initials, family names, trades and brand words, and the larger Israeli cities.
"""

from __future__ import annotations

Pair = tuple[str, str]

FIRST_NAMES: tuple[Pair, ...] = (
    ("יוסי", "Yossi"), ("דוד", "David"), ("משה", "Moshe"), ("אבי", "Avi"), ("דני", "Danny"),
    ("יעקב", "Yaakov"), ("אורי", "Ori"), ("נועם", "Noam"), ("איתי", "Itai"), ("עומר", "Omer"),
    ("רון", "Ron"), ("גיל", "Gil"), ("אלון", "Alon"), ("עמית", "Amit"), ("תומר", "Tomer"),
    ("יונתן", "Yonatan"), ("אריאל", "Ariel"), ("שי", "Shai"), ("ליאור", "Lior"), ("אסף", "Asaf"),
    ("עידו", "Ido"), ("אייל", "Eyal"), ("רועי", "Roee"), ("חיים", "Haim"), ("שמעון", "Shimon"),
    ("אברהם", "Avraham"), ("מיכאל", "Michael"), ("יצחק", "Yitzhak"), ("ניר", "Nir"), ("ערן", "Eran"),
    ("מיכל", "Michal"), ("נועה", "Noa"), ("שרה", "Sarah"), ("רחל", "Rachel"), ("יעל", "Yael"),
    ("תמר", "Tamar"), ("מאיה", "Maya"), ("שירה", "Shira"), ("רונית", "Ronit"), ("אורית", "Orit"),
    ("ליאת", "Liat"), ("הילה", "Hila"), ("דנה", "Dana"), ("עינב", "Einav"), ("ענבל", "Inbal"),
    ("קרן", "Keren"), ("סיגל", "Sigal"), ("אסתר", "Esther"), ("רבקה", "Rivka"), ("חנה", "Hana"),
    ("גלית", "Galit"), ("אפרת", "Efrat"), ("מורן", "Moran"), ("שני", "Shani"), ("טל", "Tal"),
    ("אביטל", "Avital"), ("נגה", "Noga"), ("רותם", "Rotem"), ("לימור", "Limor"), ("אילנה", "Ilana"),
    ("מוחמד", "Muhammad"), ("אחמד", "Ahmad"), ("עלי", "Ali"), ("חוסאם", "Hussam"), ("סאמר", "Samer"),
    ("ראמי", "Rami"), ("נדים", "Nadim"), ("ג'מיל", "Jamil"), ("פאדי", "Fadi"), ("רים", "Reem"),
    ("לינה", "Lina"), ("סמאח", "Samah"), ("ראניה", "Rania"), ("נסרין", "Nisreen"), ("דמיטרי", "Dmitri"),
    ("סרגיי", "Sergei"), ("אולגה", "Olga"), ("אנה", "Anna"), ("יבגני", "Evgeni"), ("ולדימיר", "Vladimir"),
    ("אלנה", "Elena"), ("ארקדי", "Arkadi"), ("מרינה", "Marina"), ("בוריס", "Boris"), ("סבטלנה", "Svetlana"),
)

LAST_NAMES: tuple[Pair, ...] = (
    ("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi"), ("פרץ", "Peretz"), ("ביטון", "Biton"),
    ("דהן", "Dahan"), ("אברהם", "Avraham"), ("פרידמן", "Friedman"), ("אזולאי", "Azoulay"),
    ("מלכה", "Malka"), ("כץ", "Katz"), ("יוסף", "Yosef"), ("עמר", "Amar"), ("אוחיון", "Ohayon"),
    ("חדד", "Hadad"), ("גבאי", "Gabay"), ("בן דוד", "Ben David"), ("שפירא", "Shapira"),
    ("אשכנזי", "Ashkenazi"), ("רוזנברג", "Rosenberg"), ("גולדברג", "Goldberg"), ("שטרן", "Stern"),
    ("ברק", "Barak"), ("שלום", "Shalom"), ("גרינברג", "Greenberg"), ("סויסה", "Suissa"),
    ("קליין", "Klein"), ("חזן", "Hazan"), ("אוחנה", "Ohana"), ("בוזגלו", "Buzaglo"),
    ("זילברמן", "Silberman"), ("הורוביץ", "Horowitz"), ("נחום", "Nahum"), ("ויס", "Weiss"),
    ("ישראלי", "Israeli"), ("סעדה", "Saada"), ("אבו חסן", "Abu Hassan"), ("חורי", "Khoury"),
    ("נאסר", "Nasser"), ("עבאס", "Abbas"), ("חביב", "Habib"), ("מנסור", "Mansour"),
    ("איבנוב", "Ivanov"), ("פטרוב", "Petrov"), ("קוזלוב", "Kozlov"), ("רבינוביץ", "Rabinovich"),
    ("ליברמן", "Lieberman"), ("שמש", "Shemesh"), ("אקרמן", "Ackerman"), ("בירנבאום", "Birnbaum"),
    ("גורדון", "Gordon"), ("ששון", "Sasson"), ("מרקוביץ", "Markovich"), ("יעקובי", "Yaakobi"),
    ("אדלר", "Adler"), ("ברגר", "Berger"), ("אלמוג", "Almog"), ("בן חיים", "Ben Haim"),
    ("טייב", "Taieb"), ("וקנין", "Vaknin"), ("אלקיים", "Elkayam"), ("סלאמה", "Salameh"),
)

# Hebrew letters that start initials in company names ("א.ב. שיווק"), with a Latin letter
# for the e-mail address.
INITIALS: tuple[Pair, ...] = (
    ("א", "a"), ("ב", "b"), ("ג", "g"), ("ד", "d"), ("ה", "h"), ("ז", "z"), ("ח", "h"),
    ("י", "y"), ("כ", "k"), ("ל", "l"), ("מ", "m"), ("נ", "n"), ("ס", "s"), ("ע", "a"),
    ("פ", "p"), ("צ", "tz"), ("ק", "k"), ("ר", "r"), ("ש", "sh"), ("ת", "t"),
)

# Words a company calls itself by besides a family name.
BRANDS: tuple[Pair, ...] = (
    ("אופק", "Ofek"), ("גלבוע", "Gilboa"), ("כרמל", "Carmel"), ("הדר", "Hadar"), ("נגב", "Negev"),
    ("ארבל", "Arbel"), ("תבור", "Tavor"), ("שקד", "Shaked"), ("אלה", "Ela"), ("רימון", "Rimon"),
    ("אורן", "Oren"), ("ים", "Yam"), ("ברוש", "Brosh"), ("זוהר", "Zohar"), ("מעיין", "Maayan"),
    ("אלפא", "Alpha"), ("דלתא", "Delta"), ("פסגה", "Pisga"), ("גשר", "Gesher"), ("מגדל", "Migdal"),
    ("קשת", "Keshet"), ("נחשון", "Nahshon"), ("עתיד", "Atid"), ("יהלום", "Yahalom"), ("ספיר", "Sapir"),
)

# What a company does: the words after its name ("כהן שיווק בע\"מ"). Each trade also has
# the service that appears on its invoices, in both languages.
TRADES: tuple[tuple[str, str, str, str], ...] = (
    # hebrew trade, english trade, hebrew service, english service
    ("שיווק", "Marketing", "שירותי שיווק", "Marketing services"),
    ("הפצה", "Distribution", "אספקת סחורה", "Goods supplied"),
    ("יבוא ושיווק", "Import", "אספקת סחורה", "Goods supplied"),
    ("תעשיות", "Industries", "ייצור לפי הזמנה", "Manufacturing to order"),
    ("הנדסה", "Engineering", "שירותי הנדסה", "Engineering services"),
    ("בנייה ופיתוח", "Construction", "עבודות בנייה", "Construction works"),
    ("מערכות מידע", "Information Systems", "שירותי מחשוב", "IT services"),
    ("טכנולוגיות", "Technologies", "רישיון תוכנה", "Software licence"),
    ("אלקטרוניקה", "Electronics", "רכיבים אלקטרוניים", "Electronic components"),
    ("תוכנה", "Software", "פיתוח תוכנה", "Software development"),
    ("מזון", "Foods", "אספקת מוצרי מזון", "Food supplies"),
    ("הובלות", "Transport", "שירותי הובלה", "Transport services"),
    ("לוגיסטיקה", "Logistics", "שירותי אחסון והפצה", "Storage and distribution"),
    ("שירותי ניקיון", "Cleaning Services", "שירותי ניקיון", "Cleaning services"),
    ("ייעוץ וניהול", "Consulting", "שירותי ייעוץ", "Consulting services"),
    ("פרסום", "Advertising", "קמפיין פרסום", "Advertising campaign"),
    ("רהיטים", "Furniture", "אספקת ריהוט", "Furniture supplied"),
    ("טקסטיל", "Textiles", "אספקת בדים", "Fabric supplied"),
    ("מתכת", "Metals", "עבודות מתכת", "Metal works"),
    ("פלסטיק", "Plastics", "מוצרי פלסטיק", "Plastic products"),
    ("חשמל", "Electric", "עבודות חשמל", "Electrical works"),
    ("קירור ומיזוג", "Air Conditioning", "תחזוקת מיזוג אוויר", "Air conditioning maintenance"),
    ("דפוס", "Printing", "עבודות דפוס", "Printing works"),
    ("תיירות", "Travel", "שירותי תיירות", "Travel services"),
    ("ציוד רפואי", "Medical Supplies", "ציוד רפואי", "Medical supplies"),
    ("חומרי בניין", "Building Supplies", "חומרי בניין", "Building materials"),
    ("אבטחה", "Security", "שירותי אבטחה", "Security services"),
    ("גינון", "Landscaping", "אחזקת גינה", "Garden maintenance"),
)

# Sole traders write their trade after their name ("יוסי כהן - שיפוצים").
SOLE_TRADES: tuple[tuple[str, str, str, str], ...] = (
    ("שיפוצים", "Renovations", "עבודות שיפוץ", "Renovation works"),
    ("חשמלאי מוסמך", "Electrician", "עבודות חשמל", "Electrical works"),
    ("אינסטלציה", "Plumbing", "עבודות אינסטלציה", "Plumbing works"),
    ("הנהלת חשבונות", "Bookkeeping", "הנהלת חשבונות", "Bookkeeping"),
    ("עיצוב גרפי", "Graphic Design", "עיצוב גרפי", "Graphic design"),
    ("צילום", "Photography", "שירותי צילום", "Photography"),
    ("הסעות", "Shuttles", "שירותי הסעה", "Shuttle services"),
    ("ייעוץ מס", "Tax Advice", "ייעוץ מס", "Tax advice"),
    ("תיקון מזגנים", "AC Repairs", "תיקון מזגן", "AC repair"),
    ("נגרות", "Carpentry", "עבודות נגרות", "Carpentry works"),
    ("קייטרינג", "Catering", "שירותי קייטרינג", "Catering"),
    ("הדרכה", "Training", "הדרכה", "Training"),
)

# What a consumer buys.
CONSUMER_SERVICES: tuple[Pair, ...] = (
    ("מנוי חודשי", "Monthly subscription"), ("שיעורים פרטיים", "Private lessons"),
    ("התקנה ביתית", "Home installation"), ("תיקון", "Repair"), ("רכישת מוצר", "Product purchase"),
    ("אחזקה שנתית", "Annual maintenance"),
)

# Company suffix: "בע\"מ" (limited company) and its English form.
LIMITED: Pair = ("בע\"מ", "Ltd")
AND_SONS: Pair = ("ובניו", "& Sons")

# City: hebrew, english, telephone area code (national number's first digit), the first
# two digits of its 7-digit postal codes.
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("תל אביב-יפו", "Tel Aviv-Yafo", "3", "61"), ("ירושלים", "Jerusalem", "2", "91"),
    ("חיפה", "Haifa", "4", "33"), ("ראשון לציון", "Rishon LeZion", "3", "75"),
    ("פתח תקווה", "Petah Tikva", "3", "49"), ("אשדוד", "Ashdod", "8", "77"),
    ("נתניה", "Netanya", "9", "42"), ("באר שבע", "Beersheba", "8", "84"),
    ("חולון", "Holon", "3", "58"), ("בני ברק", "Bnei Brak", "3", "51"),
    ("רמת גן", "Ramat Gan", "3", "52"), ("אשקלון", "Ashkelon", "8", "78"),
    ("רחובות", "Rehovot", "8", "76"), ("בת ים", "Bat Yam", "3", "59"),
    ("בית שמש", "Beit Shemesh", "2", "99"), ("כפר סבא", "Kfar Saba", "9", "44"),
    ("הרצליה", "Herzliya", "9", "46"), ("חדרה", "Hadera", "4", "38"),
    ("מודיעין-מכבים-רעות", "Modiin", "8", "71"), ("נצרת", "Nazareth", "4", "16"),
    ("רעננה", "Raanana", "9", "43"), ("לוד", "Lod", "8", "71"), ("רמלה", "Ramla", "8", "72"),
    ("הוד השרון", "Hod HaSharon", "9", "45"), ("עפולה", "Afula", "4", "18"),
    ("נהריה", "Nahariya", "4", "22"), ("קריית גת", "Kiryat Gat", "8", "82"),
    ("אילת", "Eilat", "8", "88"), ("טבריה", "Tiberias", "4", "14"), ("עכו", "Akko", "4", "24"),
    ("כרמיאל", "Karmiel", "4", "21"), ("אום אל-פחם", "Umm al-Fahm", "4", "30"),
    ("ראש העין", "Rosh HaAyin", "3", "48"), ("קריית אתא", "Kiryat Ata", "4", "28"),
    ("יבנה", "Yavne", "8", "81"), ("גבעתיים", "Givatayim", "3", "53"),
    ("קריית שמונה", "Kiryat Shmona", "4", "11"), ("צפת", "Safed", "4", "13"),
    ("יהוד-מונוסון", "Yehud", "3", "56"), ("אור יהודה", "Or Yehuda", "3", "60"),
)

STREETS: tuple[Pair, ...] = (
    ("הרצל", "Herzl"), ("ז'בוטינסקי", "Jabotinsky"), ("רוטשילד", "Rothschild"), ("ויצמן", "Weizmann"),
    ("בן גוריון", "Ben Gurion"), ("העצמאות", "HaAtzmaut"), ("אחד העם", "Ahad HaAm"),
    ("ביאליק", "Bialik"), ("הנביאים", "HaNevi'im"), ("יפו", "Jaffa"), ("אלנבי", "Allenby"),
    ("דיזנגוף", "Dizengoff"), ("מנחם בגין", "Menachem Begin"), ("יצחק רבין", "Yitzhak Rabin"),
    ("סוקולוב", "Sokolov"), ("הרב קוק", "HaRav Kook"), ("המלאכה", "HaMelacha"),
    ("התעשייה", "HaTa'asiya"), ("החרושת", "HaHaroshet"), ("הברזל", "HaBarzel"),
    ("המסגר", "HaMasger"), ("הנגב", "HaNegev"), ("הגליל", "HaGalil"), ("הכרמל", "HaCarmel"),
    ("הזית", "HaZayit"), ("הרימון", "HaRimon"), ("האלון", "HaAlon"), ("הדקל", "HaDekel"),
    ("קפלן", "Kaplan"), ("טשרניחובסקי", "Tchernichovsky"), ("אבן גבירול", "Ibn Gabirol"),
    ("המעפילים", "HaMa'apilim"), ("יהודה הלוי", "Yehuda HaLevi"), ("בר אילן", "Bar Ilan"),
    ("כצנלסון", "Katznelson"), ("ההסתדרות", "HaHistadrut"), ("העבודה", "HaAvoda"),
    ("שבזי", "Shabazi"), ("אלחריזי", "Alharizi"), ("הנשיא", "HaNasi"),
)

# Local parts of a business's accounts mailbox.
MAILBOXES: tuple[str, ...] = ("accounts", "office", "info", "finance", "billing", "bookkeeping")

# Mail domains of consumers. Reserved ".example" names (RFC 2606): demo data must never
# reach a real mailbox.
CONSUMER_DOMAINS: tuple[str, ...] = ("mail.example", "inbox.example", "post.example", "net.example")
BUSINESS_TLD = "example"

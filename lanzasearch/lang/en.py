"""English: the Committee's wording in its factsheets, and the words researchers search with.

Each pattern says what it matches with the wording of the factsheets it was
written for; a new language's module is this one with its own words.
"""

from __future__ import annotations

import re

from ..text import DASHES
from .profile import LanguageProfile, suffix_stemmer

# -- a factsheet's structure -----------------------------------------------------------

# The verb that grades a recommendation. "Urges" is a request: it presses harder than an
# invitation, but only "requires" claims an obligation stated by the Convention itself, and
# the Committee says so in those words. "Encourages" is an invitation.
STRENGTHS = {
    "requires": "require",
    "requests": "request",
    "urges": "request",
    "invites": "invite",
    "encourages": "invite",
}
_STRENGTH_VERBS = "|".join(STRENGTHS)
# What may stand between "the Committee" and its verb: "therefore requests", "further invites",
# "also strongly invites", "consequently requires", "the Committee, therefore, requests".
_ADVERBS = r"(?:,?\s+(?:also|therefore|thus|hence|further|furthermore|moreover|again|once\s+again|\w+ly),?){0,3}"
STRENGTH_VERB = re.compile(rf"\bCommittee{_ADVERBS}\s+(?P<verb>{_STRENGTH_VERBS})\b", re.IGNORECASE)
# The Committee speaking, in the first sentence of a paragraph: "The Committee observes",
# "Therefore, the Committee requests", "Mindful of …, the Committee requires". Present
# tense (and "observed"), so a Party writing "as the Committee requested" stays in its box.
COMMITTEE_VOICE = re.compile(
    rf"\bthe\s+(?:Lanzarote\s+)?Committee{_ADVERBS}\s+(?:observes|observed|notes|requires|requests|invites|"
    r"encourages|refers|recalls|considers|welcomes|urges|recommends)\b",
    re.IGNORECASE,
)
# A recommendation addressed to Parties in general: "invites all Parties, including Norway",
# "requests those Parties that are not already doing so", "invites the Parties", "all States Parties".
TO_ALL_PARTIES = re.compile(
    rf"\bCommittee{_ADVERBS}\s+(?:{_STRENGTH_VERBS})\s+"
    r"(?:all\s+(?:the\s+)?|those\s+|the\s+)?(?:States?\s+)?Parties\b",
    re.IGNORECASE,
)
# Headings in the Committee's voice: "Observations (and recommendations) of the Committee …",
# "Generic recommendations of the Committee …".
COMMITTEE_HEADING = re.compile(
    r"^(?:observations?|(?:(?:generic|general)\s+)?recommendations?)\b.*\bCommittee\b", re.IGNORECASE
)
GENERIC_HEADING = re.compile(r"^(?:generic|general)\s+recommendations?\b", re.IGNORECASE)
# Box titles, with or without '#', bold or colon, and with what other Parties' factsheets add:
# "Follow-up actions:", "Follow-up actions taken by Norway:", "Follow-up action by the
# authorities", "Promising Practice", "Promising practice(s) of Norway:", "National promising
# practices". The words after "by"/"of"/"in" name the Party or its authorities, capitalised, so
# "Promising practices in the field of education" stays a heading.
_OWNER_NAME = r"(?-i:[A-ZÀ-Þ][\w'’-]*(?:\s+(?:and|of|the|de|[A-ZÀ-Þ][\w'’-]*)){0,6})"
_BOX_OWNER = rf"(?:\s+(?:by|of|from|in)\s+(?:the\s+)?(?:(?:national\s+|competent\s+)?authorities|{_OWNER_NAME}))?"
FOLLOW_UP_TITLE = re.compile(
    rf"^follow[\s{DASHES}]?up\s+(?:actions?|measures?)(?:\s*\(s\))?"
    rf"(?:\s+(?:taken|reported|undertaken|given))?{_BOX_OWNER}\s*:?$",
    re.IGNORECASE,
)
PRACTICE_TITLE = re.compile(
    rf"^(?:national\s+)?promising\s+practices?(?:\s*\(s\))?{_BOX_OWNER}\s*:?$", re.IGNORECASE
)

# -- citations -------------------------------------------------------------------------

# "Recommendation II-6", "Recommendations V-4, V-7", "Rec. III-30", "Recs. V-4, V-7",
# "Recommendation No. II-6": a footnote names recommendations only in the list right after
# one of these words.
RECOMMENDATION_WORD = re.compile(
    r"\b(?:Recommendations?|Recomm?s?\.|Recs?(?:\.|\b))(?:\s*(?:Nos?\.|n[°o]s?\.?))?\s*", re.IGNORECASE
)
PARAGRAPH_WORD = r"Paras?\.?"  # "Para. 43", "Paras. 78, 82", "Paras 71-73", "Para.236"
ARTICLE_WORD = r"Articles?|Arts?\."  # "Article 25(1)(a-c)", "Articles 5, 6 and 8", "Art. 25(2)"
# What follows an article reference when it belongs to another instrument: "Article 9 of
# the Budapest Convention", "Article 34 thereof". References to "the Convention", "this
# Convention" or "the Lanzarote Convention" are kept.
OTHER_INSTRUMENT = re.compile(
    r"\s*(?:thereof\b|(?:of|in)\s+(?:the\s+)?(?!(?:this\s+|the\s+)?(?:Lanzarote\s+)?Convention\b)[A-Z])"
)

# -- the title page --------------------------------------------------------------------

# "FACTSHEET", "Factsheet", "FACT SHEET", "Fact-sheet"; not "factsheets".
FACTSHEET_WORD = re.compile(rf"\bfact[\s{DASHES}]?sheet\b", re.IGNORECASE)
# The author of every country factsheet, named on its title page or in its running header.
AUTHOR = re.compile(r"\bLanzarote\s+Committee\b", re.IGNORECASE)
# Words of the organisation that never belong to a country's name: a name ends before them
# ("NORWAY LANZAROTE COMMITTEE IMPLEMENTATION REPORT ON:", a reader's merge of two lines).
ORGANISATION_WORD = re.compile(r"\b(?:Lanzarote|Committee|Council|Conseil|Convention)\b", re.IGNORECASE)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH_YEAR = rf"(?:{'|'.join(MONTHS)})\s+\d{{4}}"
PREPARED = re.compile(rf"\bprepared\b.*?\bin\s+(?P<date>{_MONTH_YEAR})", re.IGNORECASE)
UPDATED = re.compile(rf"\bupdated\b.*?\bin\s+(?P<date>{_MONTH_YEAR})", re.IGNORECASE)
# "2nd monitoring round", "Second monitoring round", "2nd round", "Round 2", "monitoring round 2".
ROUND_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
ORDINAL_SUFFIX = r"st|nd|rd|th"
ROUND = re.compile(
    rf"\b(?:(?P<ordinal>\d{{1,2}})\s?(?:{ORDINAL_SUFFIX})|(?P<word>{'|'.join(ROUND_WORDS)}))"
    r"\s+(?:(?:monitoring|evaluation)\s+)?round\b"
    r"|\bround\s+(?P<number>\d{1,2})\b",
    re.IGNORECASE,
)

# -- text repair -----------------------------------------------------------------------

# Words that end no sentence and no title: a paragraph ending with one was cut, even when the
# next part starts with a capital ("…prosecution of" / "ICT facilitated…"). The French ones
# too, for the French names and quotations in English factsheets.
DANGLING_WORDS = frozenset(
    "a an and as at by for from in into of on or than that the to with "
    "à au aux avec dans de des du en et la le les ou par pour que sur un une".split()
)

# -- search ----------------------------------------------------------------------------

# Words too common to be worth a lexical match; they only slow the lexical index down.
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it
    its may might must no not of on or our shall should so such than that the their them then there these
    they this those to was we were what when where which while who whom why will with would you your about
    any all also other""".split()
)

# Everyday words a researcher types against the factsheets' vocabulary. Only
# the lexical side uses it; the model already knows most of these pairs.
THESAURUS = {
    "kid": ("child", "children"),
    "kids": ("child", "children"),
    "teen": ("child", "adolescent"),
    "teens": ("children", "adolescents"),
    "teenager": ("child", "adolescent"),
    "teenagers": ("children", "adolescents"),
    "youngster": ("child",),
    "youngsters": ("children",),
    "minor": ("child",),
    "minors": ("children",),
    "pupils": ("children", "students"),
    "nudes": ("sexual", "images"),
    "nude": ("sexual", "images"),
    "sexting": ("self", "generated", "sexual", "images"),
    "selfies": ("self", "generated", "images"),
    "pics": ("images",),
    "photos": ("images",),
    "pictures": ("images",),
    "videos": ("videos",),
    "jail": ("imprisonment", "prison"),
    "prison": ("imprisonment",),
    "punish": ("penalty", "punishable", "prosecuted"),
    "punished": ("penalty", "punishable", "prosecuted"),
    "sextortion": ("sexual", "extortion"),
    "porn": ("pornography",),
    "cops": ("police",),
    "law": ("legislation", "legal"),
    "laws": ("legislation", "legal"),
    "abroad": ("jurisdiction", "territory"),
    "online": ("ict", "internet"),
    "internet": ("online", "ict"),
    "money": ("financial", "funding", "budget"),
    "budget": ("funding", "allocated"),
    "hotline": ("helpline",),
    "helpline": ("hotline",),
    "teachers": ("teacher", "education", "professionals"),
}

# Suffixes cut from a word so "prosecuted" also marks "prosecution"; the stem must keep at
# least MIN_STEM letters to avoid marking half the page.
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "es", "ed", "s", "ly", "e")
MIN_STEM = 4

stem = suffix_stemmer(_SUFFIXES, MIN_STEM)


# -- telling the language --------------------------------------------------------------

# Words frequent in any English factsheet's opening pages and rare in other languages'.
MARKERS = frozenset(
    """the of and to in is that for with on as by are this be which has have its their from
    committee parties recommendation recommendations requests invites requires children child
    follow up actions practices observes""".split()
)

PROFILE = LanguageProfile(
    code="en",
    name="English",
    markers=MARKERS,
    strengths=STRENGTHS,
    strength_verb=STRENGTH_VERB,
    committee_voice=COMMITTEE_VOICE,
    to_all_parties=TO_ALL_PARTIES,
    committee_heading=COMMITTEE_HEADING,
    generic_heading=GENERIC_HEADING,
    follow_up_title=FOLLOW_UP_TITLE,
    practice_title=PRACTICE_TITLE,
    recommendation_word=RECOMMENDATION_WORD,
    paragraph_word=PARAGRAPH_WORD,
    article_word=ARTICLE_WORD,
    and_word="and",
    or_word="or",
    to_word="to",
    other_instrument=OTHER_INSTRUMENT,
    factsheet_word=FACTSHEET_WORD,
    author=AUTHOR,
    organisation_word=ORGANISATION_WORD,
    prepared=PREPARED,
    updated=UPDATED,
    round_words=ROUND_WORDS,
    ordinal_suffix=ORDINAL_SUFFIX,
    round=ROUND,
    dangling_words=DANGLING_WORDS,
    stopwords=STOPWORDS,
    thesaurus=THESAURUS,
    stem=stem,
    min_stem=MIN_STEM,
)

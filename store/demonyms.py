"""Words naming the people of a country or region ("Dutch", "Israelis").

A document scan must not offer them as new actors: "the Dutch" is not a
body that acts, and the country it points to is an actor of its own. The
list is the common English adjectival and plural forms of sovereign states'
and a few regions' peoples; matching is on whole words, case-insensitive.
"""

_ADJECTIVES = """
afghan albanian algerian american andorran angolan antiguan argentine argentinian armenian australian
austrian azerbaijani azeri bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese
bhutanese bolivian bosnian botswanan brazilian british bruneian bulgarian burkinabe burmese burundian
cambodian cameroonian canadian cape-verdean chadian chilean chinese colombian comorian congolese
costa-rican croatian cuban cypriot czech danish djiboutian dominican dutch ecuadorian egyptian emirati
english equatoguinean eritrean estonian eswatini ethiopian european fijian filipino finnish french gabonese
gambian georgian german ghanaian greek grenadian guatemalan guinean guyanese haitian honduran hungarian
icelandic indian indonesian iranian iraqi irish israeli italian ivorian jamaican japanese jordanian
kazakh kazakhstani kenyan kiribati korean kosovar kuwaiti kyrgyz lao laotian latvian lebanese liberian
libyan lithuanian luxembourgish malagasy malawian malaysian maldivian malian maltese marshallese
mauritanian mauritian mexican micronesian moldovan monegasque mongolian montenegrin moroccan mozambican
namibian nauruan nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani palauan
palestinian panamanian paraguayan persian peruvian polish portuguese qatari romanian russian rwandan
salvadoran samoan saudi scottish senegalese serbian seychellois singaporean slovak slovakian slovenian
somali south-african spanish sri-lankan sudanese surinamese swazi swedish swiss syrian taiwanese tajik
tanzanian thai togolese tongan trinidadian tunisian turkish turkmen tuvaluan ugandan ukrainian uruguayan
uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean
african arab asian balkan baltic caribbean latin-american nordic scandinavian western eastern
"""

# nouns for one person, where they differ from the adjective ("a Swede", "two Danes")
_NOUNS = """
brit briton britons brits dane danes dutchman dutchmen englishman englishmen finn finns frenchman
frenchmen icelander icelanders irishman irishmen kiwi kiwis pole poles scot scots spaniard spaniards
swede swedes turk turks welshman welshmen yankee yankees
"""

DEMONYMS = frozenset(w.replace("-", " ") for w in (_ADJECTIVES + _NOUNS).split())


def is_demonym(words: str) -> bool:
    """True when ``words`` (one or two words, any case) name a people:
    the adjective ("Dutch"), its plural ("Israelis", "Americans"), or a
    noun for a person ("Swedes")."""
    text = " ".join(words.lower().replace("’", "'").split())
    if text in DEMONYMS:
        return True
    # regular plurals: "Americans", "Israelis", "Saudis"
    return text.endswith("s") and text[:-1] in DEMONYMS and not text.endswith(("ss", "ese", "ish"))

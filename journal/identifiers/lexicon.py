"""Word lists for the identifier check, loaded once and kept as frozensets.

The large lists (given names, surnames, places, everyday words) live in
``journal/data`` and in the gender-guesser package; the short lists here are words
that clinicians write with a capital letter and that must never read as a name, a
place or an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _words(
    "January February March April May June July August September October November December"
)
DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Identity, culture, faith, language, holidays: written capitalised, never identifying.
CULTURE = _words(
    """
    Black White Brown Latino Latina Latinx Latine Hispanic Chicano Chicana Asian Pacific Islander
    Indigenous Native Aboriginal Torres Strait First Nations Nation Inuit Métis Metis Two-Spirit
    Deaf Hard-of-Hearing HoH Blind Autistic ADHD Neurodivergent LGBTQ LGBTQ+ LGBTQIA LGBTQIA+ Trans
    Transgender Queer Gay Lesbian Bisexual Bi Pansexual Asexual Ace Intersex Nonbinary Non-binary
    Cis Cisgender BIPOC POC BAME Global Majority Diaspora Afro-Caribbean Caribbean African
    Muslim Christian Jewish Hindu Sikh Buddhist Jain Baha'i Bahá'í Catholic Protestant Orthodox
    Evangelical Pentecostal Baptist Methodist Anglican Episcopal Lutheran Presbyterian Mormon
    Quaker Adventist Shia Sunni Sufi Ismaili Ahmadi Rastafarian Wiccan Pagan Atheist Agnostic
    Islam Islamic Judaism Christianity Hinduism Sikhism Buddhism Jainism Taoism Shinto Santería
    Santeria Vodou Voodoo Candomblé Yoruba Ifá Animist Hasidic Haredi Amish Mennonite
    God Allah Jesus Christ Buddha Krishna Vishnu Shiva Ganesh Guru Nanak Virgin
    Prophet Bible Quran Qur'an Koran Torah Talmud Gita Granth Sahib Psalm
    Psalms Gospel Scripture Church Mosque Masjid Temple Synagogue Gurdwara Mandir Chapel Shul
    Ramadan Ramazan Eid Eid-al-Fitr Eid-al-Adha Iftar Suhoor Hajj Umrah Ashura Mawlid Christmas
    Easter Lent Advent Epiphany Pentecost Diwali Deepavali Holi Navratri Dussehra Vaisakhi Baisakhi
    Passover Pesach Hanukkah Chanukah Purim Sukkot Shavuot Rosh Hashanah Yom Kippur Sabbath Shabbat
    Kwanzaa Juneteenth Thanksgiving Halloween Valentine Valentine's Mother's Father's Day Eve
    Lunar New Year Tet Têt Chuseok Seollal Obon Songkran Nowruz Norooz Vesak Día Dia Muertos Dead
    Pride Carnival Carnaval Mardi Gras Quinceañera Quinceanera Bar Bat Mitzvah Shiva Sangha
    Indian American British Canadian Mexican Chinese Japanese Korean Vietnamese Filipino Filipina
    Thai Cambodian Khmer Lao Laotian Hmong Burmese Nepali Nepalese Bhutanese Tibetan
    Pakistani Bangladeshi Sri Lankan Tamil Afghan Iranian Persian Iraqi Kurdish Kurd Syrian
    Lebanese Palestinian Jordanian Egyptian Moroccan Algerian Tunisian Libyan Sudanese Somali
    Somalian Ethiopian Eritrean Kenyan Ugandan Tanzanian Rwandan Congolese Nigerian Ghanaian
    Senegalese Malian Ivorian Cameroonian Liberian Sierra Leonean Gambian Zimbabwean Zambian
    South Malawian Mozambican Angolan Namibian Botswanan Zulu Xhosa Sotho Shona Igbo Hausa Akan
    Twi Ewe Fulani Wolof Amhara Oromo Tigray Tigrayan Tigrinya Amharic Oromo Swahili Kiswahili
    Arab Arabic Berber Amazigh Turkish Turk Armenian Georgian Azerbaijani Russian Ukrainian
    Belarusian Polish Czech Slovak Hungarian Romanian Roma Romani Gypsy Traveller Traveler
    Bulgarian Serbian Croatian Bosnian Albanian Macedonian Greek Italian Spanish Portuguese
    Brazilian French German Dutch Belgian Swiss Austrian Danish Swedish Norwegian Finnish
    Icelandic Irish Scottish Welsh English Cornish Celtic Gaelic Sámi Sami Saami Yiddish Hebrew
    Ladino Latin Cantonese Mandarin Hakka Hokkien Teochew Taiwanese Tagalog Ilocano Cebuano
    Visayan Malay Malaysian Indonesian Javanese Hindi Urdu Punjabi Bengali Bangla Gujarati
    Marathi Telugu Kannada Malayalam Sinhala Sinhalese Pashto Dari Farsi Uzbek Tajik Kazakh
    Mongolian Cuban Dominican Puerto Rican Boricua Salvadoran Guatemalan Honduran Nicaraguan
    Panamanian Colombian Venezuelan Ecuadorian Peruvian Bolivian Chilean Argentinian Argentine
    Uruguayan Paraguayan Haitian Jamaican Trinidadian Barbadian Bajan Guyanese Surinamese
    Creole Kreyòl Kreyol Patois Mayan Maya Quechua Aymara Nahuatl Mixtec Zapotec Guaraní Guarani
    Navajo Diné Dine Cherokee Lakota Dakota Ojibwe Ojibwa Anishinaabe Cree Mohawk Haudenosaunee
    Iroquois Apache Hopi Pueblo Zuni Choctaw Chickasaw Seminole Muscogee Creek Blackfoot Crow
    Shoshone Paiute Ute Salish Tlingit Haida Yupik Inupiat Alaska Hawaiian Samoan Tongan Fijian
    Maori Māori Pasifika Polynesian Micronesian Melanesian Chamorro Aboriginal Australian
    Kiwi Pakeha Pākehā Anglo Anglo-Saxon Caucasian European Eurasian Mestizo Mestiza Mulatto
    Afro-Latina Afro-Latino Afro-Latinx Afrikaans Afrikaner Coloured Dalit Brahmin Adivasi
    Bahujan Yazidi Druze Coptic Copt Assyrian Chaldean Maronite Uyghur Rohingya Bedouin Roma
    ASL BSL Auslan LSQ Signed Sign Braille AAVE Ebonics Spanglish Taglish Hinglish Nuyorican
    Southern Northern Eastern Western Midwestern Appalachian Cockney Geordie Scouse Brummie
    Gen Millennial Boomer Boomers Zoomer Millennials Xennial
    """
)

# Places above the level Safe Harbor cares about (countries, US states, provinces, regions).
REGIONS = _words(
    """
    America Americas USA US U.S. UK U.K. Britain England Scotland Wales Ireland Northern Europe
    Asia Africa Oceania Antarctica Australia Canada Mexico Caribbean Latin Middle East Gulf
    Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia
    Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts
    Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada New Hampshire Jersey Mexico
    York Carolina North South Dakota Ohio Oklahoma Oregon Pennsylvania Rhode Island Tennessee
    Texas Utah Vermont Virginia West Washington Wisconsin Wyoming Columbia D.C. DC Puerto Rico
    Guam Samoa Virgin Islands Alberta British Manitoba Brunswick Newfoundland Labrador Nova
    Scotia Ontario Prince Edward Quebec Québec Saskatchewan Yukon Nunavut Territories Northwest
    Queensland Victoria Tasmania Territory Capital Western New South NSW ACT QLD WA NT SA TAS VIC
    Punjab Kerala Gujarat Bengal Bihar Tamil Nadu Maharashtra Karnataka Sindh Balochistan
    Kashmir Bavaria Catalonia Andalusia Lombardy Sicily Sardinia Tuscany Provence Brittany
    Normandy Siberia Crimea Donbas Kurdistan Darfur Tigray Gaza West Bank Palestine Israel
    Balkans Scandinavia Baltic Baltics Sahara Sahel Horn Central Southeast Midwest Pacific
    Atlantic Mediterranean Appalachia Highlands Lowlands Midlands Home Counties Deep Bible Belt
    Rust Sun Borough Boroughs Mainland Islands Island Coast Valley Bay Area Hemisphere
    """
)

# Frameworks, measures, models and authors clinicians cite.
CLINICAL = _words(
    """
    ADDRESSING Cultural Formulation Interview CFI RESPECTFUL LEARN ETHNIC BATHE SOAP DAP BIRP
    DSM DSM-5 DSM-5-TR DSM-IV ICD ICD-10 ICD-11 CBT DBT ACT EMDR IFS MBCT MBSR CPT PE TF-CBT CFT
    NET IPT PCIT EFT SFBT MI OARS TIPP DEAR MAN GIVE FAST STOP ABC PLEASE FICA HOPE SPIRIT PHQ
    PHQ-9 PHQ-2 GAD GAD-7 PCL PCL-5 AUDIT DAST CORE CORE-10 CORE-OM ORS SRS WEMWBS HoNOS MoCA
    MMSE ACE ACEs PTSD CPTSD OCD BPD EUPD MDD GAD SUD AUD ASD IDD TBI SMI ED ARFID PTSS
    Gibbs Driscoll Kolb Schön Schon Rolfe Johns Borton Brookfield Hays Safran Muran Owen Sue
    Tervalon Murray-Garcia Hook Davis Worthington Utsey Falicov Kleinman Lewis-Fernández
    Comas-Díaz Comas-Diaz Crenshaw hooks Freire Fanon Lorde DiAngelo Helms Cross Atkinson
    Morten Pedersen Ridley Ponterotto Sue's Nadal Pierce Bernal Boyd-Franklin McGoldrick
    Hardy Laszloffy Pinderhughes Bronfenbrenner Maslow Rogers Rogerian Beck Ellis Linehan
    Hayes Bowlby Ainsworth Winnicott Klein Freud Jung Adler Yalom Erikson Piaget Vygotsky
    Herman Van der Kolk Porges Siegel Kabat-Zinn Brach Neff Gilbert Germer Miller Rollnick
    Prochaska DiClemente Shapiro Wampold Norcross Lambert Duncan Bordin Horvath Gottman
    Johnson Minuchin Bowen Satir White Epston Seligman Csikszentmihalyi Frankl Kubler-Ross
    Kübler-Ross Worden Bonanno Stroebe Schut Doka Brown Brené Kolk Perry Felitti Anda
    Socratic Motivational Interviewing Acceptance Commitment Therapy Dialectical Behavior
    Behaviour Behavioral Behavioural Cognitive Narrative Exposure Processing Schema Solution
    Focused Compassion Mindfulness Trauma-Informed Person-Centred Person-Centered Humanistic
    Psychodynamic Systemic Attachment Polyvagal Window Tolerance Wise Mind Radical Empathy
    Self-Compassion Humility Competence Responsiveness Safety Plan Stanley Brown Columbia
    C-SSRS ASQ SBIRT Telehealth Teletherapy Psychoeducation Countertransference Transference
    Supervision Supervisor Clinical Lead Intake Assessment Formulation Treatment Discharge
    Referral Review Plan Goals Progress Note Notes Session Sessions Group Check-In Check-in
    """
)

# Services, agencies, platforms and generic institutions: named, but they place no one.
INSTITUTIONS = _words(
    """
    NHS GP A&E ER ED ICU NICU CAMHS IAPT CMHT CPN CPS DCFS ACS DHS HHS DSS SNAP WIC SSI SSDI
    TANF EBT HUD VA FEMA ICE USCIS DACA TPS CBP FBI DEA IRS DMV DVLA HMRC DWP PIP ESA UC JSA
    Medicaid Medicare Medi-Cal MediCal CHIP Obamacare ACA Tricare Ofsted OHIP MSP RAMQ Centrelink
    NDIS Services Social Security Universal Credit Housing Benefit Council Jobcentre Child
    Protective Family Court Supreme Crown Magistrates Police Sheriff Department Ministry Home
    Office Immigration Border Asylum Refugee Red Cross Crescent Salvation Army Samaritans
    AA NA Al-Anon SMART Recovery YMCA YWCA Scouts Guides Boys Girls Club Big Brothers Sisters
    Zoom Teams Skype FaceTime WhatsApp Signal Telegram Messenger Facebook Instagram TikTok
    Snapchat Twitter X Reddit YouTube LinkedIn Tinder Hinge Bumble Grindr Discord Twitch
    Google Gmail Outlook iPhone Android Apple Samsung Microsoft Netflix Spotify Uber Lyft
    DoorDash Deliveroo Amazon Alexa Siri ChatGPT AI Wi-Fi WiFi Bluetooth PDF SMS Covid COVID
    COVID-19 Coronavirus Omicron Delta Long HIV AIDS PrEP Narcan Naloxone Suboxone Methadone
    Xanax Prozac Zoloft Lexapro Sertraline Fluoxetine Seroquel Abilify Adderall Ritalin
    Lithium Ativan Klonopin Wellbutrin Effexor Cymbalta Lamictal Depakote Risperdal Tylenol
    Advil Ozempic Internet Web Bluetooth Uni University College School High Primary Secondary
    Elementary Middle Sixth Form Kindergarten Nursery Daycare Head Start Pre-K Year Grade
    """
)

# Other capitalised words that open sentences or headings in notes.
FUNCTION = _words(
    """
    The A An And But Or So If When While After Before Because As At In On For With From By To Of
    Not No Yes All Any Some Each Every Both Either Neither What Why How Where Who Whom Which
    Also Still Even Only Just Maybe Perhaps Again Once Since Until Though Although However
    Instead Meanwhile Overall Afterward Afterwards Later Earlier Soon First Second Third Finally
    He She It We They You His Her Its Our Their My Me Him Them Us Your Mine Hers Theirs
    I I'm I've I'd I'll Im Ive Id Ill Mr Mrs Ms Mx Dr Prof OK Okay Hi Hello Dear Thanks
    Today Tonight Yesterday Tomorrow Now Then Next Last This That These Those Here There
    Client Clients Patient Patients Therapist Clinician Counsellor Counselor Worker Nurse
    Doctor Psychiatrist Psychologist Mum Mom Dad Mama Papa Grandma Grandpa Grandad Granddad
    Nan Nana Nanna Gran Granny Auntie Aunty Uncle Sister Brother Mother Father Son Daughter
    Wife Husband Partner Baby Kid Kids Team Staff Reception Admin Office Note Plan Goal Goals
    Reflection Reflections Action Actions Learning Learnings Feelings Thoughts Observations
    Strengths Concerns Risk Risks Safety Summary Context Background Impact Outcome Response
    Repair Rupture Follow-up Follow Up Update Updates Question Questions Answer Answers Re Fwd
    Q A Part Step Stage Phase Week Month Weekend Weekday Morning Afternoon Evening Night
    Spring Summer Autumn Fall Winter Christmas New Year Years Day Days Am Pm AM PM Mon Tue Tues
    Wed Thu Thur Thurs Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
)

STOP = CULTURE | REGIONS | CLINICAL | INSTITUTIONS | FUNCTION | MONTHS | DAYS


@dataclass(frozen=True)
class Lexicon:
    countries: frozenset[str]
    given: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    # Everyday words in lower case, and proper nouns from the same dictionary.
    common: frozenset[str]
    proper: frozenset[str]


def _lines(name: str) -> list[str]:
    """The lines of a word list in journal/data, less its comment lines."""
    lines = (DATA / name).read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and line[0] != "#"]


# A line of nam_dict.txt: its gender code, spaces, then the name. The newline first lets
# the engine jump from line to line.
NAM_DICT_RE = re.compile(r"\n[MF?1=]{1,2} +([^\s<]+)")


def _nam_dict() -> set[str]:
    """About 48,000 given names from many countries, from the gender-guesser package."""
    try:
        raw = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return set()
    names = NAM_DICT_RE.findall("\n" + raw)
    # "Abdel+Aziz" is written as one name or as two: keep the whole and its parts.
    out = set(" ".join(names).replace("+", " ").replace("-", " ").split())
    out.update(n.replace("+", "-") for n in names if "+" in n)
    return {n for n in out if len(n) > 1}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    given = _nam_dict()
    for line in _lines("given_names.txt"):
        given.update(line.split())
    words = _lines("words.txt")
    return Lexicon(
        countries=frozenset(_lines("countries.txt")),
        given=frozenset(given),
        surnames=frozenset(_lines("surnames.txt")),
        places=frozenset(_lines("places.txt")),
        common=frozenset(w for w in words if w.islower()),
        proper=frozenset(w for w in words if not w.islower()),
    )

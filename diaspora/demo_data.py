"""Deterministic demo data in the interchange format: diaspora experts, institutions, projects.

Experts are drawn from profile archetypes (ML engineer, GIS for agriculture and water, health
informatics…) living in the diaspora's usual cities; projects are written by hand for real
Moroccan public institutions. Both name skills from the same concepts, each written the ways a
person would type it (English, French, Arabic, abbreviation), so that matching the demo gives
sensible suggestions. Every dict is accepted by ``parse_expert`` / ``parse_project``.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from typing import Any

from diaspora import geo

DEFAULT_SEED = 2027

# Each skill concept, written as people type it: English label first, then French, then
# abbreviations or synonyms, then Arabic. Projects use the first two; experts any of them.
SKILL_NAMES: dict[str, tuple[str, ...]] = {
    "ml": ("machine learning", "apprentissage automatique", "ML", "Machine Learning", "تعلم الآلة"),
    "dl": (
        "deep learning",
        "apprentissage profond",
        "Deep Learning",
        "réseaux de neurones",
        "التعلم العميق",
    ),
    "python": ("Python (computer programming)", "programmation Python", "Python", "python"),
    "stats": ("statistics", "statistiques", "Statistics", "statistique", "الإحصاء"),
    "datamining": ("data mining", "exploration de données", "Data Mining", "fouille de données"),
    "cv": ("computer vision", "vision par ordinateur", "CV", "Computer Vision", "الرؤية الحاسوبية"),
    "nlp": (
        "natural language processing",
        "traitement automatique du langage naturel",
        "NLP",
        "TALN",
        "معالجة اللغة الطبيعية",
    ),
    "arabic_nlp": (
        "Arabic natural language processing",
        "traitement automatique de l'arabe",
        "Arabic NLP",
        "TAL arabe",
        "المعالجة الآلية للغة العربية",
    ),
    "llm": (
        "large language models",
        "grands modèles de langage",
        "LLM",
        "LLMs",
        "النماذج اللغوية الكبيرة",
    ),
    "speech": ("speech recognition", "reconnaissance de la parole", "ASR", "speech processing"),
    "linguistics": (
        "computational linguistics",
        "linguistique computationnelle",
        "corpus linguistics",
        "اللسانيات الحاسوبية",
    ),
    "amazigh": ("Amazigh language", "langue amazighe", "Tifinagh", "tamazight", "اللغة الأمازيغية"),
    "mlops": (
        "MLOps",
        "déploiement de modèles d'apprentissage automatique",
        "ML ops",
        "model deployment",
    ),
    "cloud": ("cloud computing", "informatique en nuage", "cloud", "AWS", "الحوسبة السحابية"),
    "docker": ("containerisation", "conteneurisation", "Docker", "docker"),
    "k8s": ("Kubernetes", "orchestration de conteneurs", "K8s", "kubernetes"),
    "devops": ("DevOps", "intégration et déploiement continus", "CI/CD", "devops"),
    "data_eng": ("data engineering", "ingénierie des données", "ETL", "data pipelines"),
    "sql": ("SQL", "langage SQL", "sql", "bases de données relationnelles"),
    "spark": ("Apache Spark", "Spark", "PySpark", "spark"),
    "bigdata": ("big data", "données massives", "Big Data", "البيانات الضخمة"),
    "gis": (
        "geographic information systems",
        "systèmes d'information géographique",
        "GIS",
        "SIG",
        "نظم المعلومات الجغرافية",
    ),
    "remote_sensing": (
        "remote sensing",
        "télédétection",
        "satellite imagery analysis",
        "imagerie satellitaire",
        "الاستشعار عن بعد",
    ),
    "hydrology": (
        "hydrology",
        "hydrologie",
        "water resources management",
        "gestion des ressources en eau",
        "علم المياه",
    ),
    "agronomy": (
        "precision agriculture",
        "agriculture de précision",
        "agronomy",
        "agronomie",
        "الفلاحة الدقيقة",
    ),
    "iot": ("Internet of Things", "Internet des objets", "IoT", "capteurs connectés"),
    "health_inf": (
        "health informatics",
        "informatique médicale",
        "e-health",
        "e-santé",
        "المعلوميات الصحية",
    ),
    "medical_imaging": ("medical imaging", "imagerie médicale", "Medical Imaging", "التصوير الطبي"),
    "epidemiology": (
        "epidemiology",
        "épidémiologie",
        "biostatistics",
        "biostatistique",
        "علم الأوبئة",
    ),
    "fhir": (
        "health data interoperability",
        "interopérabilité des données de santé",
        "HL7 FHIR",
        "FHIR",
    ),
    "energy": (
        "smart grids",
        "réseaux électriques intelligents",
        "smart grid",
        "Smart Grids",
        "الشبكات الكهربائية الذكية",
    ),
    "forecasting": (
        "time series forecasting",
        "prévision de séries temporelles",
        "time series analysis",
        "forecasting",
        "التنبؤ بالسلاسل الزمنية",
    ),
    "renewables": (
        "renewable energy",
        "énergies renouvelables",
        "solar energy",
        "énergie solaire",
        "الطاقات المتجددة",
    ),
    "optimisation": (
        "operations research",
        "recherche opérationnelle",
        "optimisation",
        "mathematical optimization",
        "بحوث العمليات",
    ),
    "predictive_maintenance": (
        "predictive maintenance",
        "maintenance prédictive",
        "Predictive Maintenance",
        "الصيانة التنبؤية",
    ),
    "signal": ("signal processing", "traitement du signal", "DSP", "معالجة الإشارة"),
    "embedded": ("embedded systems", "systèmes embarqués", "embedded", "الأنظمة المدمجة"),
    "sports": (
        "sports analytics",
        "analyse de la performance sportive",
        "sport analytics",
        "performance analysis",
        "تحليل الأداء الرياضي",
    ),
    "video_analytics": ("video analytics", "analyse vidéo", "video analysis", "تحليل الفيديو"),
    "tourism_data": (
        "tourism data analysis",
        "analyse des données touristiques",
        "tourism analytics",
        "تحليل المعطيات السياحية",
    ),
    "recommender": (
        "recommender systems",
        "systèmes de recommandation",
        "recommendation engines",
        "أنظمة التوصية",
    ),
    "marketing": ("digital marketing analytics", "marketing digital", "web analytics", "SEO"),
    "dataviz": (
        "data visualisation",
        "visualisation de données",
        "Power BI",
        "dataviz",
        "تصور البيانات",
    ),
    "r": ("R (programming language)", "langage R", "R", "RStudio"),
    "egov": (
        "digital transformation of public services",
        "transformation digitale de l'administration",
        "e-government",
        "administration électronique",
        "التحول الرقمي",
    ),
    "project_mgmt": (
        "project management",
        "gestion de projet",
        "Project Management",
        "gestion de projets",
        "إدارة المشاريع",
    ),
    "agile": ("agile project management", "méthodes agiles", "Scrum", "agile"),
    "change_mgmt": (
        "change management",
        "conduite du changement",
        "Change Management",
        "إدارة التغيير",
    ),
    "process": (
        "business process modelling",
        "modélisation des processus métier",
        "BPMN",
        "process mining",
    ),
    "cyber": (
        "cyber security",
        "cybersécurité",
        "information security",
        "sécurité des systèmes d'information",
        "الأمن السيبراني",
    ),
    "pentest": ("penetration testing", "tests d'intrusion", "ethical hacking", "pentest"),
    "isms": (
        "ICT risk management",
        "gestion des risques informatiques",
        "ISO 27001",
        "ISO/IEC 27001",
    ),
    "soc": (
        "security incident response",
        "réponse aux incidents de sécurité",
        "SOC",
        "incident response",
    ),
    "gdpr": (
        "personal data protection",
        "protection des données personnelles",
        "GDPR",
        "RGPD",
        "loi 09-08",
        "حماية المعطيات الشخصية",
    ),
    "economics": ("economics", "économie", "macroeconomics", "macroéconomie", "الاقتصاد"),
    "econometrics": ("econometrics", "économétrie", "Econometrics", "الاقتصاد القياسي"),
    "survey": ("survey methodology", "méthodologie d'enquête", "sampling", "échantillonnage"),
    "finance_risk": (
        "credit risk modelling",
        "modélisation du risque de crédit",
        "risk management",
        "gestion des risques financiers",
    ),
    "backend": (
        "software architecture",
        "architecture logicielle",
        "microservices",
        "API design",
        "هندسة البرمجيات",
    ),
    "web": ("web development", "développement web", "JavaScript", "React"),
    "teaching": ("teaching", "enseignement", "pédagogie", "formation", "التدريس"),
    "edtech": ("educational technology", "technologies éducatives", "EdTech", "learning analytics"),
    "logistics": (
        "supply chain optimisation",
        "optimisation de la chaîne logistique",
        "logistics",
        "logistique",
        "سلسلة الإمداد",
    ),
}

# Profile archetypes: core concepts (levels 3-5), optional ones (2-4), sectors, and the job
# title as (French masculine, French feminine, English, Arabic masculine, Arabic feminine).
_ARCHETYPES: tuple[dict[str, Any], ...] = (
    {
        "weight": 12,
        "core": ("ml", "python", "dl", "mlops", "stats"),
        "extra": ("cloud", "docker", "sql", "cv", "nlp", "spark"),
        "sectors": ("research", "industry", "finance", "health"),
        "title": (
            "Ingénieur machine learning",
            "Ingénieure machine learning",
            "Machine learning engineer",
            "مهندس تعلم الآلة",
            "مهندسة تعلم الآلة",
        ),
        "topic": (
            "des modèles prédictifs en production",
            "predictive models in production",
            "نماذج تنبؤية في الإنتاج",
        ),
    },
    {
        "weight": 12,
        "core": ("ml", "stats", "python", "datamining", "sql", "dataviz"),
        "extra": ("r", "forecasting", "dl", "bigdata", "econometrics"),
        "sectors": ("finance", "health", "tourism", "public_administration", "energy"),
        "title": (
            "Data scientist",
            "Data scientist",
            "Data scientist",
            "عالم بيانات",
            "عالمة بيانات",
        ),
        "topic": (
            "l'analyse de données et la modélisation statistique",
            "data analysis and statistical modelling",
            "تحليل البيانات والنمذجة الإحصائية",
        ),
    },
    {
        "weight": 8,
        "core": ("nlp", "arabic_nlp", "python", "llm", "dl", "ml"),
        "extra": ("speech", "linguistics", "amazigh", "mlops", "gdpr"),
        "sectors": ("culture_language", "education", "justice", "public_administration"),
        "title": (
            "Chercheur en traitement automatique des langues",
            "Chercheuse en traitement automatique des langues",
            "NLP researcher",
            "باحث في معالجة اللغات الطبيعية",
            "باحثة في معالجة اللغات الطبيعية",
        ),
        "topic": (
            "le traitement automatique de l'arabe et de la darija",
            "language technology for Arabic and Darija",
            "المعالجة الآلية للعربية والدارجة",
        ),
    },
    {
        "weight": 7,
        "core": ("cv", "dl", "python", "ml"),
        "extra": ("medical_imaging", "video_analytics", "embedded", "signal", "remote_sensing"),
        "sectors": ("health", "industry", "sport", "agriculture", "security"),
        "title": (
            "Ingénieur en vision par ordinateur",
            "Ingénieure en vision par ordinateur",
            "Computer vision engineer",
            "مهندس الرؤية الحاسوبية",
            "مهندسة الرؤية الحاسوبية",
        ),
        "topic": ("la vision par ordinateur", "computer vision", "الرؤية الحاسوبية"),
    },
    {
        "weight": 7,
        "core": ("mlops", "cloud", "docker", "k8s", "devops", "python"),
        "extra": ("data_eng", "backend", "cyber", "ml"),
        "sectors": ("public_administration", "finance", "industry", "research"),
        "title": (
            "Ingénieur MLOps et cloud",
            "Ingénieure MLOps et cloud",
            "MLOps engineer",
            "مهندس الحوسبة السحابية",
            "مهندسة الحوسبة السحابية",
        ),
        "topic": (
            "les plateformes cloud et le déploiement de modèles",
            "cloud platforms and model deployment",
            "المنصات السحابية ونشر النماذج",
        ),
    },
    {
        "weight": 7,
        "core": ("data_eng", "sql", "spark", "bigdata", "python", "cloud"),
        "extra": ("dataviz", "backend", "docker", "tourism_data"),
        "sectors": ("finance", "transport", "energy", "public_administration"),
        "title": (
            "Ingénieur data",
            "Ingénieure data",
            "Data engineer",
            "مهندس بيانات",
            "مهندسة بيانات",
        ),
        "topic": (
            "les pipelines de données à grande échelle",
            "large-scale data pipelines",
            "معالجة البيانات على نطاق واسع",
        ),
    },
    {
        "weight": 7,
        "core": ("gis", "remote_sensing", "hydrology", "agronomy", "python"),
        "extra": ("ml", "stats", "dl", "iot", "forecasting"),
        "sectors": ("agriculture", "water", "research"),
        "title": (
            "Ingénieur SIG et télédétection",
            "Ingénieure SIG et télédétection",
            "GIS and remote sensing specialist",
            "مهندس نظم المعلومات الجغرافية",
            "مهندسة نظم المعلومات الجغرافية",
        ),
        "topic": (
            "la télédétection pour l'agriculture et l'eau",
            "remote sensing for agriculture and water",
            "الاستشعار عن بعد للفلاحة والماء",
        ),
    },
    {
        "weight": 6,
        "core": ("health_inf", "epidemiology", "fhir", "stats", "project_mgmt"),
        "extra": ("ml", "medical_imaging", "dataviz", "gdpr", "sql"),
        "sectors": ("health", "research"),
        "title": (
            "Médecin spécialiste en informatique médicale",
            "Médecin spécialiste en informatique médicale",
            "Health informatics specialist",
            "خبير في المعلوميات الصحية",
            "خبيرة في المعلوميات الصحية",
        ),
        "topic": (
            "les systèmes d'information hospitaliers",
            "hospital information systems",
            "نظم المعلومات الاستشفائية",
        ),
    },
    {
        "weight": 6,
        "core": ("energy", "forecasting", "renewables", "optimisation", "python"),
        "extra": ("ml", "iot", "predictive_maintenance", "signal", "embedded"),
        "sectors": ("energy", "water", "industry"),
        "title": (
            "Ingénieur énergie et réseaux intelligents",
            "Ingénieure énergie et réseaux intelligents",
            "Smart grid engineer",
            "مهندس الشبكات الذكية",
            "مهندسة الشبكات الذكية",
        ),
        "topic": (
            "les réseaux électriques et les énergies renouvelables",
            "power grids and renewable energy",
            "الشبكات الكهربائية والطاقات المتجددة",
        ),
    },
    {
        "weight": 4,
        "core": ("sports", "video_analytics", "stats", "python", "cv"),
        "extra": ("ml", "dl", "dataviz"),
        "sectors": ("sport", "tourism"),
        "title": (
            "Analyste de la performance sportive",
            "Analyste de la performance sportive",
            "Sports data analyst",
            "محلل الأداء الرياضي",
            "محللة الأداء الرياضي",
        ),
        "topic": (
            "l'analyse de la performance dans le football",
            "performance analysis in football",
            "تحليل الأداء في كرة القدم",
        ),
    },
    {
        "weight": 4,
        "core": ("tourism_data", "recommender", "dataviz", "sql", "marketing"),
        "extra": ("ml", "nlp", "python", "stats"),
        "sectors": ("tourism", "culture_language"),
        "title": (
            "Analyste data tourisme",
            "Analyste data tourisme",
            "Tourism data analyst",
            "محلل بيانات السياحة",
            "محللة بيانات السياحة",
        ),
        "topic": (
            "les données du tourisme et de l'hôtellerie",
            "travel and hospitality data",
            "بيانات السياحة والفندقة",
        ),
    },
    {
        "weight": 6,
        "core": ("egov", "project_mgmt", "process", "change_mgmt", "agile"),
        "extra": ("gdpr", "dataviz", "backend", "web"),
        "sectors": ("public_administration", "justice", "education"),
        "title": (
            "Consultant en transformation digitale",
            "Consultante en transformation digitale",
            "Digital transformation consultant",
            "مستشار في التحول الرقمي",
            "مستشارة في التحول الرقمي",
        ),
        "topic": (
            "la transformation digitale du secteur public",
            "public-sector digital transformation",
            "التحول الرقمي للقطاع العام",
        ),
    },
    {
        "weight": 6,
        "core": ("cyber", "pentest", "isms", "soc", "cloud"),
        "extra": ("gdpr", "ml", "devops", "teaching"),
        "sectors": ("security", "finance", "public_administration"),
        "title": (
            "Expert en cybersécurité",
            "Experte en cybersécurité",
            "Cybersecurity engineer",
            "خبير في الأمن السيبراني",
            "خبيرة في الأمن السيبراني",
        ),
        "topic": (
            "la sécurité des systèmes d'information",
            "information security",
            "أمن نظم المعلومات",
        ),
    },
    {
        "weight": 5,
        "core": ("economics", "econometrics", "stats", "survey", "r"),
        "extra": ("ml", "python", "forecasting", "finance_risk", "dataviz"),
        "sectors": ("finance", "research", "public_administration", "agriculture"),
        "title": (
            "Économiste statisticien",
            "Économiste statisticienne",
            "Economist and statistician",
            "خبير اقتصادي وإحصائي",
            "خبيرة اقتصادية وإحصائية",
        ),
        "topic": (
            "l'économétrie appliquée aux politiques publiques",
            "applied econometrics for public policy",
            "الاقتصاد القياسي للسياسات العمومية",
        ),
    },
    {
        "weight": 3,
        "core": ("edtech", "teaching", "ml", "python"),
        "extra": ("nlp", "project_mgmt", "web", "dataviz"),
        "sectors": ("education", "research"),
        "title": (
            "Enseignant-chercheur en IA",
            "Enseignante-chercheuse en IA",
            "AI lecturer and researcher",
            "أستاذ باحث في الذكاء الاصطناعي",
            "أستاذة باحثة في الذكاء الاصطناعي",
        ),
        "topic": ("l'IA pour l'éducation", "AI in education", "الذكاء الاصطناعي في التعليم"),
    },
    {
        "weight": 4,
        "core": ("logistics", "optimisation", "forecasting", "predictive_maintenance", "python"),
        "extra": ("ml", "iot", "data_eng"),
        "sectors": ("transport", "industry"),
        "title": (
            "Ingénieur en recherche opérationnelle",
            "Ingénieure en recherche opérationnelle",
            "Operations research engineer",
            "مهندس بحوث العمليات",
            "مهندسة بحوث العمليات",
        ),
        "topic": (
            "l'optimisation des transports et de la logistique",
            "transport and logistics optimisation",
            "تحسين النقل واللوجستيك",
        ),
    },
)

# (country, city, weight, local language other than fr/en)
_CITIES: tuple[tuple[str, str, int, str | None], ...] = (
    ("FR", "Paris", 30, None),
    ("FR", "Lyon", 8, None),
    ("FR", "Marseille", 6, None),
    ("FR", "Toulouse", 4, None),
    ("FR", "Lille", 3, None),
    ("BE", "Bruxelles", 9, "nl"),
    ("NL", "Amsterdam", 6, "nl"),
    ("NL", "Rotterdam", 3, "nl"),
    ("DE", "Berlin", 5, "de"),
    ("DE", "Munich", 4, "de"),
    ("DE", "Frankfurt", 3, "de"),
    ("GB", "London", 9, None),
    ("IE", "Dublin", 3, None),
    ("ES", "Madrid", 7, "es"),
    ("ES", "Barcelona", 5, "es"),
    ("IT", "Milan", 4, "it"),
    ("IT", "Rome", 2, "it"),
    ("CH", "Genève", 3, None),
    ("CH", "Zurich", 2, "de"),
    ("SE", "Stockholm", 2, "sv"),
    ("PT", "Lisbon", 2, "pt"),
    ("CA", "Montréal", 14, None),
    ("CA", "Toronto", 5, None),
    ("CA", "Ottawa", 3, None),
    ("CA", "Québec", 3, None),
    ("US", "New York", 5, None),
    ("US", "Boston", 3, None),
    ("US", "Washington", 3, None),
    ("US", "San Francisco", 4, None),
    ("US", "San Jose", 2, None),
    ("US", "Palo Alto", 2, None),
    ("US", "Mountain View", 2, None),
    ("US", "Seattle", 3, None),
    ("US", "Los Angeles", 2, None),
    ("US", "Chicago", 2, None),
    ("US", "Austin", 2, None),
    ("US", "Houston", 1, None),
    ("AE", "Dubai", 12, None),
    ("AE", "Abu Dhabi", 6, None),
    ("QA", "Doha", 5, None),
    ("SA", "Riyadh", 4, None),
    ("SA", "Jeddah", 2, None),
    ("SG", "Singapore", 2, None),
    ("JP", "Tokyo", 1, "ja"),
    ("AU", "Sydney", 1, None),
)
_FRENCH_SPEAKING = {"FR", "BE", "CH"}
_ENGLISH_FIRST = {"GB", "IE", "US", "AE", "QA", "SA", "SG", "JP", "AU", "SE", "NL", "DE"}

# "Latin spelling|Arabic or Tifinagh-free Arabic spelling"
_MALE = (
    "Youssef|يوسف",
    "Mohamed|محمد",
    "Mohammed|محمد",
    "Amine|أمين",
    "Karim|كريم",
    "Hamza|حمزة",
    "Omar|عمر",
    "Mehdi|مهدي",
    "Anas|أنس",
    "Reda|رضا",
    "Othmane|عثمان",
    "Ayoub|أيوب",
    "Ilyass|إلياس",
    "Yassine|ياسين",
    "Driss|إدريس",
    "Hicham|هشام",
    "Rachid|رشيد",
    "Soufiane|سفيان",
    "Zakaria|زكرياء",
    "Nabil|نبيل",
    "Tarik|طارق",
    "Adil|عادل",
    "Jawad|جواد",
    "Khalid|خالد",
    "Abdelilah|عبد الإله",
    "Badr|بدر",
    "Saad|سعد",
    "Ismail|إسماعيل",
    "Marouane|مروان",
    "Achraf|أشرف",
)
_MALE_AMAZIGH = (
    "Idir|إدير",
    "Yuba|يوبا",
    "Aksel|أكسل",
    "Anir|أنير",
    "Massin|ماسين",
    "Lahcen|لحسن",
    "Brahim|إبراهيم",
    "Mbark|مبارك",
)
_FEMALE = (
    "Salma|سلمى",
    "Kenza|كنزة",
    "Fatima Zahra|فاطمة الزهراء",
    "Imane|إيمان",
    "Meryem|مريم",
    "Maryam|مريم",
    "Nadia|نادية",
    "Hind|هند",
    "Sara|سارة",
    "Zineb|زينب",
    "Khadija|خديجة",
    "Aicha|عائشة",
    "Houda|هدى",
    "Loubna|لبنى",
    "Ghita|غيثة",
    "Yasmine|ياسمين",
    "Nisrine|نسرين",
    "Asmae|أسماء",
    "Hajar|هاجر",
    "Oumaima|أميمة",
    "Rim|ريم",
    "Siham|سهام",
    "Latifa|لطيفة",
    "Amal|أمل",
    "Leila|ليلى",
    "Ines|إيناس",
    "Chaimae|شيماء",
    "Btissam|ابتسام",
)
_FEMALE_AMAZIGH = (
    "Tiziri|تيزيري",
    "Tafat|تافات",
    "Dihya|ديهيا",
    "Tilelli|تيليلي",
    "Itto|إطو",
    "Tanirt|تانيرت",
    "Tamount|تامونت",
)
_FAMILY = (
    "Bennani|بناني",
    "Alaoui|العلوي",
    "El Amrani|العمراني",
    "Benjelloun|بنجلون",
    "Tazi|التازي",
    "Berrada|برادة",
    "Chraibi|الشرايبي",
    "Fassi Fihri|الفاسي الفهري",
    "Idrissi|الإدريسي",
    "Lahlou|لحلو",
    "Sqalli|السقلي",
    "Skalli|السكالي",
    "Ouazzani|الوزاني",
    "El Khatib|الخطيب",
    "Benkirane|بنكيران",
    "Zniber|زنيبر",
    "Belhaj|بلحاج",
    "Bouazza|بوعزة",
    "El Ouafi|الوافي",
    "Hajji|الحجي",
    "Boutaleb|بوطالب",
    "Ennaji|الناجي",
    "Mansouri|المنصوري",
    "Ziani|الزياني",
    "Kabbaj|القباج",
    "Guessous|جسوس",
    "Sebti|السبتي",
    "Benomar|بنعمر",
    "Cherkaoui|الشرقاوي",
    "El Mokhtari|المختاري",
    "Lamrani|العمراني",
    "Naciri|الناصري",
    "Tahiri|الطاهري",
    "El Ghazi|الغازي",
    "Bakkali|البقالي",
    "Filali|الفيلالي",
    "Jebbari|الجباري",
    "Haddaoui|الحداوي",
    "Slaoui|السلاوي",
    "Benslimane|بن سليمان",
    "Mouline|مولين",
)
_FAMILY_AMAZIGH = (
    "Ait Taleb|آيت الطالب",
    "Ait Ouahmane|آيت وحمان",
    "Ait Said|آيت سعيد",
    "Id Brahim|إدبراهيم",
    "Oukhouya|أوخويا",
    "Ouchen|أوشن",
    "Ait Lhaj|آيت الحاج",
    "Amezzane|أمزان",
    "Oubella|أوبلا",
    "Akhiat|أخيات",
    "Boukhris|بوخريص",
    "Azzouzi|عزوزي",
)
_HOMETOWNS = (
    "Casablanca",
    "Rabat",
    "Fès",
    "Marrakech",
    "Tanger",
    "Agadir",
    "Oujda",
    "Meknès",
    "Tétouan",
    "Nador",
    "Kénitra",
    "El Jadida",
    "Tiznit",
    "Errachidia",
    "Al Hoceïma",
)

_EMPLOYERS = {
    "fr": (
        "une start-up",
        "un grand groupe industriel",
        "un laboratoire de recherche public",
        "une banque",
        "un cabinet de conseil",
        "un hôpital universitaire",
        "un éditeur de logiciels",
        "une entreprise de l'énergie",
    ),
    "en": (
        "a start-up",
        "a large tech company",
        "a public research lab",
        "a bank",
        "a consulting firm",
        "a university hospital",
        "a software company",
        "an energy company",
    ),
    "ar": (
        "شركة ناشئة",
        "مجموعة صناعية كبرى",
        "مختبر بحث عمومي",
        "بنك",
        "مكتب استشارات",
        "مستشفى جامعي",
        "شركة برمجيات",
        "شركة طاقة",
    ),
}
_MOTIVATIONS = {
    "fr": (
        "Je souhaite mettre mon expertise au service des institutions marocaines.",
        "Disponible pour accompagner des projets publics au Maroc, à distance ou lors de "
        "missions courtes.",
        "Originaire de {hometown}, j'aimerais contribuer à la stratégie Maroc Digital 2030.",
        "Je tiens à transmettre mes compétences et à encadrer de jeunes ingénieurs.",
    ),
    "en": (
        "I would like to put my experience to work for Moroccan public institutions.",
        "Happy to support projects in Morocco remotely or on short missions.",
        "Born in {hometown}, I want to help with the Digital Morocco 2030 strategy.",
        "Keen on mentoring young engineers and transferring skills back home.",
    ),
    "ar": (
        "أرغب في وضع خبرتي رهن إشارة المؤسسات المغربية.",
        "يمكنني مواكبة المشاريع العمومية بالمغرب عن بعد أو خلال مهام قصيرة.",
        "أنحدر من {hometown} وأود المساهمة في استراتيجية المغرب الرقمي 2030.",
        "يهمني نقل الخبرات وتأطير المهندسين الشباب.",
    ),
}

_INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Ministère de la Santé et de la Protection sociale", "ministry", "sante.gov.ma", "Rabat"),
    (
        "Ministère de l'Éducation nationale, du Préscolaire et des Sports",
        "ministry",
        "men.gov.ma",
        "Rabat",
    ),
    (
        "Ministère de l'Agriculture, de la Pêche maritime, du Développement rural et des Eaux et "
        "Forêts",
        "ministry",
        "agriculture.gov.ma",
        "Rabat",
    ),
    ("Ministère de l'Équipement et de l'Eau", "ministry", "equipement.gov.ma", "Rabat"),
    (
        "Ministère de la Transition numérique et de la Réforme de l'Administration",
        "ministry",
        "mtnra.gov.ma",
        "Rabat",
    ),
    ("Ministère de la Justice", "ministry", "justice.gov.ma", "Rabat"),
    (
        "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire",
        "ministry",
        "tourisme.gov.ma",
        "Rabat",
    ),
    ("Agence de Développement du Digital (ADD)", "agency", "add.gov.ma", "Rabat"),
    (
        "Office National de l'Électricité et de l'Eau Potable (ONEE)",
        "public_company",
        "onee.ma",
        "Rabat",
    ),
    ("Moroccan Agency for Sustainable Energy (MASEN)", "agency", "masen.ma", "Rabat"),
    ("Office National Marocain du Tourisme (ONMT)", "agency", "onmt.ma", "Rabat"),
    ("Office National des Chemins de Fer (ONCF)", "public_company", "oncf.ma", "Rabat"),
    ("Agence Nationale des Ports (ANP)", "agency", "anp.org.ma", "Casablanca"),
    ("Bank Al-Maghrib", "agency", "bkam.ma", "Rabat"),
    ("Haut-Commissariat au Plan (HCP)", "agency", "hcp.ma", "Rabat"),
    ("Institut Royal de la Culture Amazighe (IRCAM)", "agency", "ircam.ma", "Rabat"),
    ("Institut National de la Recherche Agronomique (INRA)", "agency", "inra.org.ma", "Rabat"),
    ("Agence du Bassin Hydraulique du Sebou", "agency", "abhsebou.ma", "Fès"),
    ("Direction Générale de la Météorologie", "agency", "marocmeteo.ma", "Casablanca"),
    ("Centre Hospitalier Universitaire Ibn Rochd", "agency", "chuibnrochd.ma", "Casablanca"),
    ("Comité d'organisation CAN 2025 – Mondial 2030", "agency", "maroc2030.ma", "Rabat"),
    ("Université Mohammed V de Rabat", "university", "um5.ac.ma", "Rabat"),
    ("Université Mohammed VI Polytechnique (UM6P)", "university", "um6p.ma", "Benguerir"),
    ("Université Cadi Ayyad", "university", "uca.ma", "Marrakech"),
    ("Université Al Akhawayn d'Ifrane", "university", "aui.ma", "Ifrane"),
    ("Université Abdelmalek Essaâdi", "university", "uae.ac.ma", "Tanger"),
    ("Université Ibn Zohr", "university", "uiz.ac.ma", "Agadir"),
    ("Université Sidi Mohamed Ben Abdellah", "university", "usmba.ac.ma", "Fès"),
)

# Hand-written projects: institution (a prefix of its name), title, description, sector,
# required (concept, level), nice-to-have (concept, level), languages, mode, location.
_PROJECTS: tuple[tuple[Any, ...], ...] = (
    (
        "Ministère de la Santé",
        "Détection précoce de la rétinopathie diabétique",
        "Déployer dans les centres de santé un outil d'aide au dépistage de la rétinopathie "
        "diabétique à partir de photographies du fond d'œil, et former les équipes régionales.",
        "health",
        (("cv", 3), ("dl", 3), ("medical_imaging", 2)),
        (("python", 2), ("mlops", 2)),
        ("fr",),
        "remote",
        "Rabat",
    ),
    (
        "Office National de l'Électricité",
        "Prévision de la demande électrique nationale",
        "Améliorer les modèles de prévision de la charge horaire du réseau national en intégrant "
        "la météo, le calendrier et la production renouvelable.",
        "energy",
        (("forecasting", 4), ("ml", 3), ("python", 3)),
        (("energy", 2), ("data_eng", 2)),
        ("fr",),
        "remote",
        "Casablanca",
    ),
    (
        "Agence de Développement du Digital",
        "مساعد محادثة ذكي لمرتفقي الإدارة بالدارجة والعربية والفرنسية",
        "تطوير مساعد محادثة يجيب عن أسئلة المرتفقين حول المساطر الإدارية بالدارجة المغربية "
        "والعربية والفرنسية، مع احترام حماية المعطيات الشخصية.",
        "public_administration",
        (("nlp", 4), ("llm", 3), ("arabic_nlp", 3)),
        (("speech", 2), ("mlops", 2)),
        ("ar", "fr"),
        "remote",
        "Rabat",
    ),
    (
        "Ministère de l'Agriculture",
        "Suivi satellitaire des cultures et estimation des rendements",
        "Cartographier les cultures céréalières à partir d'images Sentinel-2 et estimer les "
        "rendements par province avant la récolte.",
        "agriculture",
        (("remote_sensing", 3), ("gis", 3), ("ml", 3)),
        (("agronomy", 2), ("python", 2)),
        ("fr",),
        "hybrid",
        "Rabat",
    ),
    (
        "Comité d'organisation CAN 2025",
        "Analyse de la performance des sélections nationales",
        "Mettre en place une chaîne d'analyse vidéo et de données de tracking pour les staffs "
        "techniques des sélections nationales en vue de la CAN 2025 et du Mondial 2030.",
        "sport",
        (("sports", 3), ("video_analytics", 3), ("cv", 3)),
        (("stats", 2),),
        ("fr", "en"),
        "hybrid",
        "Salé",
    ),
    (
        "Ministère de l'Équipement et de l'Eau",
        "Prévision des apports des barrages",
        "Prévoir les apports hydriques mensuels des principaux barrages pour mieux arbitrer entre "
        "eau potable et irrigation en période de sécheresse.",
        "water",
        (("hydrology", 3), ("forecasting", 3), ("ml", 3)),
        (("gis", 2), ("remote_sensing", 2)),
        ("fr",),
        "remote",
        "Rabat",
    ),
    (
        "Office National Marocain du Tourisme",
        "Analyse des flux touristiques et recommandations personnalisées",
        "Exploiter les données de réservation et de fréquentation pour mieux cibler les "
        "campagnes de promotion et recommander des circuits aux visiteurs.",
        "tourism",
        (("tourism_data", 3), ("recommender", 3), ("ml", 2)),
        (("dataviz", 2), ("marketing", 2)),
        ("fr", "en"),
        "remote",
        "Rabat",
    ),
    (
        "Ministère de la Justice",
        "Anonymisation automatique des décisions de justice",
        "Anonymiser les décisions rendues en arabe et en français avant leur publication en open "
        "data, avec une vérification humaine des cas douteux.",
        "justice",
        (("nlp", 3), ("arabic_nlp", 3), ("gdpr", 2)),
        (("ml", 2),),
        ("ar", "fr"),
        "remote",
        "Rabat",
    ),
    (
        "Bank Al-Maghrib",
        "Modèles de prévision de l'inflation et nowcasting",
        "Renforcer la boîte à outils de prévision macroéconomique avec des modèles de nowcasting "
        "fondés sur des données à haute fréquence.",
        "finance",
        (("econometrics", 4), ("forecasting", 3), ("stats", 3)),
        (("ml", 2), ("python", 2)),
        ("fr", "en"),
        "remote",
        "Rabat",
    ),
    (
        "Ministère de la Transition numérique",
        "Plateforme nationale de services publics en ligne : architecture et sécurité",
        "Revoir l'architecture de la plateforme de services en ligne pour tenir la charge et "
        "renforcer sa sécurité avant la généralisation aux collectivités territoriales.",
        "public_administration",
        (("backend", 4), ("cloud", 3), ("cyber", 3)),
        (("devops", 3), ("gdpr", 2)),
        ("fr",),
        "hybrid",
        "Rabat",
    ),
    (
        "Institut Royal de la Culture Amazighe",
        "Reconnaissance optique de caractères tifinagh",
        "Numériser le fonds documentaire en tifinagh grâce à un moteur de reconnaissance optique "
        "de caractères entraîné sur les polices et les manuscrits de l'Institut.",
        "culture_language",
        (("cv", 3), ("dl", 3), ("amazigh", 2)),
        (("nlp", 2),),
        ("fr", "zgh", "ar"),
        "remote",
        "Rabat",
    ),
    (
        "Office National des Chemins de Fer",
        "Maintenance prédictive du matériel roulant",
        "Anticiper les pannes des rames à partir des données des capteurs embarqués et des "
        "historiques de maintenance.",
        "transport",
        (("predictive_maintenance", 3), ("ml", 3), ("iot", 2)),
        (("signal", 2), ("data_eng", 2)),
        ("fr",),
        "hybrid",
        "Rabat",
    ),
    (
        "Université Mohammed VI Polytechnique",
        "MLOps platform for research teams",
        "Build a shared platform to train, track and serve models for the university's research "
        "teams on the campus GPU cluster and in the cloud.",
        "research",
        (("mlops", 3), ("cloud", 3), ("docker", 3)),
        (("k8s", 3), ("python", 2)),
        ("en", "fr"),
        "remote",
        "Benguerir",
    ),
    (
        "Ministère de l'Éducation nationale",
        "Prédiction du décrochage scolaire",
        "Identifier tôt les élèves à risque de décrochage à partir des données de scolarité de "
        "MASSAR afin d'orienter les programmes de soutien.",
        "education",
        (("ml", 3), ("stats", 3), ("python", 2)),
        (("dataviz", 2), ("edtech", 2)),
        ("fr", "ar"),
        "remote",
        "Rabat",
    ),
    (
        "Haut-Commissariat au Plan",
        "Recensement : estimations sur petits domaines",
        "Produire des indicateurs de pauvreté et d'emploi au niveau communal en combinant le "
        "recensement et les enquêtes auprès des ménages.",
        "public_administration",
        (("survey", 4), ("stats", 4), ("r", 3)),
        (("gis", 2), ("ml", 2)),
        ("fr",),
        "remote",
        "Rabat",
    ),
    (
        "Moroccan Agency for Sustainable Energy",
        "Maintenance prédictive des centrales solaires",
        "Réduire les arrêts non planifiés des centrales solaires grâce à l'analyse des données "
        "SCADA et des images de drones.",
        "energy",
        (("predictive_maintenance", 3), ("renewables", 3), ("ml", 3)),
        (("iot", 2), ("signal", 2)),
        ("fr", "en"),
        "hybrid",
        "Ouarzazate",
    ),
    (
        "Agence du Bassin Hydraulique du Sebou",
        "Cartographie des zones inondables",
        "Mettre à jour la cartographie du risque d'inondation du bassin du Sebou à partir de "
        "modèles numériques de terrain et d'images radar.",
        "water",
        (("gis", 4), ("remote_sensing", 3), ("hydrology", 3)),
        (("dl", 2),),
        ("fr", "ar"),
        "short_mission",
        "Fès",
    ),
    (
        "Centre Hospitalier Universitaire Ibn Rochd",
        "Interopérabilité du dossier patient",
        "Rendre le dossier patient informatisé interopérable avec les laboratoires et la "
        "plateforme nationale, dans le respect de la loi 09-08.",
        "health",
        (("fhir", 3), ("health_inf", 3)),
        (("backend", 3), ("gdpr", 2)),
        ("fr",),
        "short_mission",
        "Casablanca",
    ),
    (
        "Agence Nationale des Ports",
        "Optimisation des escales et de la logistique portuaire",
        "Optimiser la planification des escales et des postes à quai à partir des données "
        "d'arrivée des navires et des prévisions de trafic.",
        "transport",
        (("logistics", 3), ("optimisation", 3)),
        (("forecasting", 2), ("ml", 2)),
        ("fr", "en"),
        "remote",
        "Casablanca",
    ),
    (
        "Bank Al-Maghrib",
        "Détection de la fraude dans les paiements",
        "Détecter les transactions frauduleuses sur les paiements instantanés tout en limitant "
        "les fausses alertes.",
        "finance",
        (("ml", 3), ("datamining", 3), ("sql", 2)),
        (("finance_risk", 2), ("cyber", 2)),
        ("fr",),
        "remote",
        "Rabat",
    ),
    (
        "Ministère de la Santé",
        "Tableau de bord de la surveillance épidémiologique",
        "Construire un tableau de bord national des maladies à déclaration obligatoire alimenté "
        "quotidiennement par les délégations provinciales.",
        "health",
        (("epidemiology", 3), ("dataviz", 3), ("sql", 2)),
        (("stats", 3), ("health_inf", 2)),
        ("fr", "ar"),
        "hybrid",
        "Rabat",
    ),
    (
        "Université Al Akhawayn",
        "Cybersecurity curriculum and SOC lab",
        "Design a hands-on cybersecurity track and set up a security operations lab for students "
        "and partner administrations.",
        "security",
        (("cyber", 4), ("soc", 3), ("teaching", 3)),
        (("pentest", 3),),
        ("en",),
        "short_mission",
        "Ifrane",
    ),
    (
        "Institut National de la Recherche Agronomique",
        "Agriculture de précision : capteurs et irrigation",
        "Piloter l'irrigation au goutte-à-goutte à partir de capteurs d'humidité du sol et de "
        "prévisions météorologiques sur des parcelles de démonstration.",
        "agriculture",
        (("iot", 3), ("agronomy", 3)),
        (("ml", 2), ("python", 2)),
        ("fr", "ar"),
        "short_mission",
        "Meknès",
    ),
    (
        "Ministère du Tourisme",
        "Observatoire du tourisme : analyse des avis en ligne",
        "Analyser les avis des voyageurs en français, anglais et arabe pour mesurer la "
        "satisfaction par destination et par type d'hébergement.",
        "tourism",
        (("nlp", 3), ("tourism_data", 2)),
        (("arabic_nlp", 2), ("dataviz", 2)),
        ("fr", "en"),
        "remote",
        "Rabat",
    ),
    (
        "Comité d'organisation CAN 2025",
        "Gestion des flux de supporters dans les stades",
        "Prévoir et réguler les flux de supporters autour des stades et dans les transports les "
        "jours de match pour le Mondial 2030.",
        "sport",
        (("cv", 3), ("optimisation", 3), ("forecasting", 2)),
        (("iot", 2),),
        ("fr", "en"),
        "hybrid",
        "Casablanca",
    ),
    (
        "Université Cadi Ayyad",
        "Encadrement doctoral : IA pour l'eau et le climat",
        "Co-encadrer des doctorants travaillant sur la prévision de la sécheresse et l'usage de "
        "l'eau agricole dans le Haouz.",
        "research",
        (("ml", 4), ("remote_sensing", 2)),
        (("teaching", 3), ("hydrology", 2)),
        ("fr", "en"),
        "short_mission",
        "Marrakech",
    ),
    (
        "Institut Royal de la Culture Amazighe",
        "Corpus oral et synthèse vocale de l'amazighe",
        "Constituer un corpus oral des trois variétés de l'amazighe marocain et entraîner un "
        "premier modèle de synthèse vocale.",
        "culture_language",
        (("speech", 3), ("linguistics", 3), ("amazigh", 3)),
        (("dl", 2),),
        ("zgh", "fr"),
        "remote",
        "Rabat",
    ),
    (
        "Direction Générale de la Météorologie",
        "Prévision météorologique par apprentissage profond",
        "Évaluer des modèles de prévision à courte échéance fondés sur l'apprentissage profond "
        "face aux modèles numériques opérationnels.",
        "water",
        (("dl", 3), ("forecasting", 3), ("python", 3)),
        (("cloud", 2),),
        ("fr",),
        "remote",
        "Casablanca",
    ),
    (
        "Université Ibn Zohr",
        "Tourisme intelligent à Agadir : données de mobilité",
        "Construire l'entrepôt de données de mobilité touristique de la région Souss-Massa et "
        "ses tableaux de bord.",
        "tourism",
        (("data_eng", 3), ("dataviz", 2), ("tourism_data", 2)),
        (("gis", 2),),
        ("fr",),
        "remote",
        "Agadir",
    ),
    (
        "Université Sidi Mohamed Ben Abdellah",
        "Aide au diagnostic en dermatologie",
        "Évaluer un outil d'aide au diagnostic des lésions cutanées sur des images prises en "
        "consultation au CHU de Fès.",
        "health",
        (("cv", 3), ("dl", 3)),
        (("medical_imaging", 3),),
        ("fr",),
        "remote",
        "Fès",
    ),
    (
        "Université Abdelmalek Essaâdi",
        "Data engineering for the Tanger Med logistics hub",
        "Set up data pipelines and a data warehouse on port and customs flows for research on "
        "logistics performance.",
        "transport",
        (("data_eng", 3), ("sql", 3), ("spark", 2)),
        (("logistics", 2),),
        ("en", "fr"),
        "remote",
        "Tanger",
    ),
    (
        "Ministère de la Transition numérique",
        "Conduite du changement : administration sans papier",
        "Accompagner trois ministères pilotes dans la dématérialisation de leurs procédures "
        "internes : cartographie des processus, formation et suivi.",
        "public_administration",
        (("egov", 3), ("process", 3), ("change_mgmt", 3)),
        (("project_mgmt", 3), ("agile", 2)),
        ("fr", "ar"),
        "hybrid",
        "Rabat",
    ),
    (
        "Université Mohammed V de Rabat",
        "Cours en ligne sur l'IA pour les enseignants",
        "Concevoir un cours en ligne en arabe et en français pour former les enseignants du "
        "secondaire aux usages de l'IA en classe.",
        "education",
        (("edtech", 3), ("teaching", 3)),
        (("ml", 2), ("nlp", 2)),
        ("fr", "ar"),
        "remote",
        "Rabat",
    ),
)


def _pick(rng: random.Random, entries: tuple[str, ...]) -> tuple[str, str]:
    latin, arabic = rng.choice(entries).split("|")
    return latin, arabic


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def _skill_name(rng: random.Random, concept: str, writing: str) -> str:
    """A name for a concept as this person would type it: mostly in their working language,
    sometimes an abbreviation or synonym, sometimes in Arabic."""
    names = SKILL_NAMES[concept]
    roll = rng.random()
    if roll < 0.08 and len(names) > 4:
        return names[-1]  # Arabic
    if roll < 0.30:
        return rng.choice(names[2:])
    return names[1] if writing == "fr" else names[0]


def _languages(rng: random.Random, country: str, local: str | None, amazigh: bool) -> list:
    languages = [{"code": "ar", "level": rng.choice(("native", "native", "C2", "C1"))}]
    if rng.random() < 0.6:
        languages.append({"code": "ary", "level": "native"})
    if amazigh:
        code = rng.choice(("zgh", "zgh", "shi", "tzm", "rif"))
        languages.append({"code": code, "level": rng.choice(("native", "C1", "B2"))})
    french = "native" if country in _FRENCH_SPEAKING else rng.choice(("C2", "C1", "C1", "B2"))
    languages.append({"code": "fr", "level": french})
    english = "C2" if country in {"US", "GB", "IE", "AU"} else rng.choice(("C1", "B2", "B2", "C2"))
    languages.append({"code": "en", "level": english})
    if local:
        languages.append({"code": local, "level": rng.choice(("C1", "B2", "C2"))})
    elif rng.random() < 0.12:
        languages.append(
            {"code": rng.choice(("es", "de", "it")), "level": rng.choice(("A2", "B1"))}
        )
    return languages


def _weighted(rng: random.Random, items: tuple, weights: list[int]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]


def demo_experts(n: int = 320, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """``n`` diaspora experts in the interchange format, the same for the same seed."""
    rng = random.Random(seed)
    archetype_weights = [a["weight"] for a in _ARCHETYPES]
    city_weights = [c[2] for c in _CITIES]
    experts = []
    for i in range(1, n + 1):
        archetype = _weighted(rng, _ARCHETYPES, archetype_weights)
        country, city, _, local = _weighted(rng, _CITIES, city_weights)
        female = rng.random() < 0.45
        amazigh = rng.random() < 0.18
        first_names = (_FEMALE_AMAZIGH if female else _MALE_AMAZIGH) if amazigh else ()
        first_latin, first_arabic = _pick(rng, first_names or (_FEMALE if female else _MALE))
        last_latin, last_arabic = _pick(rng, _FAMILY_AMAZIGH if amazigh else _FAMILY)
        # Some people write their name in Arabic script; the email stays ASCII.
        arabic_name = rng.random() < 0.05
        full_name = (
            f"{first_arabic} {last_arabic}" if arabic_name else f"{first_latin} {last_latin}"
        )

        if country in _FRENCH_SPEAKING or city in ("Montréal", "Québec"):
            writing = rng.choice(("fr", "fr", "fr", "en", "ar"))
        elif country in _ENGLISH_FIRST:
            writing = rng.choice(("en", "en", "fr", "ar"))
        else:
            writing = rng.choice(("fr", "en", "en", "ar"))

        core = rng.sample(archetype["core"], k=min(len(archetype["core"]), rng.randint(4, 6)))
        extra = rng.sample(archetype["extra"], k=rng.randint(1, min(4, len(archetype["extra"]))))
        skills = [{"name": _skill_name(rng, c, writing), "level": rng.randint(3, 5)} for c in core]
        skills += [
            {"name": _skill_name(rng, c, writing), "level": rng.randint(2, 4)} for c in extra
        ]
        if rng.random() < 0.4:
            skills.append({"name": _skill_name(rng, "project_mgmt", writing), "level": 3})
        rng.shuffle(skills)

        modes = ["remote"] if rng.random() < 0.92 else []
        if rng.random() < 0.5 or not modes:
            modes.append("short_mission")
        if rng.random() < 0.15:
            modes.append("long_term")
        years = rng.randint(3, 25)
        employer = rng.choice(_EMPLOYERS[writing])
        hometown = rng.choice(_HOMETOWNS)
        fr_m, fr_f, title_en, ar_m, ar_f = archetype["title"]
        topic_fr, topic_en, topic_ar = archetype["topic"]
        motivation = rng.choice(_MOTIVATIONS[writing]).format(hometown=hometown)
        if writing == "fr":
            headline = f"{fr_f if female else fr_m} chez {employer}"
            bio = (
                f"{fr_f if female else fr_m} à {city} depuis {years} ans, je travaille sur "
                f"{topic_fr}. {motivation}"
            )
        elif writing == "en":
            headline = f"{title_en} at {employer}"
            bio = (
                f"{title_en} based in {city} with {years} years of experience in {topic_en}. "
                f"{motivation}"
            )
        else:
            title_ar = ar_f if female else ar_m
            headline = f"{title_ar} في {employer}"
            resident = "مقيمة" if female else "مقيم"
            # Arabic counts 3 to 10 with the plural, 11 and more with the singular.
            unit = "سنوات" if years <= 10 else "سنة"
            bio = (
                f"{title_ar} {resident} في {city}، خبرة {years} {unit} في {topic_ar}. {motivation}"
            )

        expert: dict[str, Any] = {
            "ref": f"E-DEMO-{i:04d}",
            "full_name": full_name,
            "email": f"{_slug(first_latin)}.{_slug(last_latin)}{i}@example.org",
            "residence": {
                "country": country,
                "city": city,
                "timezone": geo.derive_timezone(country, city),
            },
            "languages": _languages(rng, country, local, amazigh),
            "skills": skills,
            "sectors": rng.sample(
                archetype["sectors"], k=rng.randint(1, min(3, len(archetype["sectors"])))
            ),
            "modes": modes,
            "hours_per_month": rng.choice((4, 6, 8, 10, 12, 15, 16, 20, 24, 30, 40)),
            "bio": bio,
            "consent_matching": rng.random() >= 0.03,
            "headline": headline,
            "years_experience": years,
        }
        if rng.random() < 0.4:
            expert["linkedin"] = (
                f"https://www.linkedin.com/in/{_slug(first_latin)}-{_slug(last_latin)}-{i:04d}"
            )
        if rng.random() < 0.2:
            expert["available_from"] = date(2027, rng.randint(1, 12), 1).isoformat()
        experts.append(expert)
    return experts


def demo_institutions() -> list[dict[str, str]]:
    """The institutions of the demo: name, kind (ministry, university, agency,
    public_company), email domain and city."""
    return [
        {"name": name, "kind": kind, "email_domain": domain, "city": city}
        for name, kind, domain, city in _INSTITUTIONS
    ]


def _institution_named(prefix: str) -> str:
    return next(name for name, *_ in _INSTITUTIONS if name.startswith(prefix))


def _project_skill_name(rng: random.Random, concept: str, language: str) -> str:
    """Institutions write the English or French label, in Arabic when the project is."""
    names = SKILL_NAMES[concept]
    if language == "ar" and len(names) > 4:
        return names[-1]
    if language == "en":
        return names[0]
    return names[rng.choice((0, 1, 1))]


def demo_projects(n: int = 25, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """``n`` projects of Moroccan institutions in the interchange format, the same for the same
    seed. Beyond the hand-written ones, later phases of the same projects are added."""
    rng = random.Random(seed)
    projects = []
    for i in range(n):
        prefix, title, description, sector, required, nice, languages, mode, location = _PROJECTS[
            i % len(_PROJECTS)
        ]
        phase = i // len(_PROJECTS)
        skills = [
            {
                "name": _project_skill_name(rng, concept, languages[0]),
                "level": level,
                "required": True,
            }
            for concept, level in required
        ] + [
            {
                "name": _project_skill_name(rng, concept, languages[0]),
                "level": level,
                "required": False,
            }
            for concept, level in nice
        ]
        projects.append(
            {
                "ref": f"P-DEMO-{i + 1:03d}",
                "institution": _institution_named(prefix),
                "title": title if phase == 0 else f"{title} (phase {phase + 1})",
                "description": description,
                "sector": sector,
                "skills": skills,
                "languages": list(languages),
                "mode": mode,
                "location": location,
                "hours_per_month": rng.choice((4, 6, 8, 10, 12, 16, 20, 24, 30, 40)),
                "seats": rng.randint(1, 3),
                "starts_on": date(
                    2027 + phase, rng.randint(1, 12), rng.choice((1, 15))
                ).isoformat(),
                "duration_months": rng.choice((3, 4, 6, 6, 9, 12, 12, 18, 24)),
            }
        )
    return projects

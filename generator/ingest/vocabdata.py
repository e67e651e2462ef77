"""The clutter vocabulary as data: the lines a news page wraps around its article, per language.

Each language has:
- "widgets": whole lines that are buttons, teasers and navigation ("Read more", "Once"), compared
  case-insensitively after Markdown marks and end punctuation are stripped; `*` matches any text,
  in a line of at most WILD_LINE words (a site's `import: {drop_lines: [...]}` in digest.yaml
  uses the same rule, for lines of any length);
- "pleas": phrases that make a line of at most PLEA_LINE words a donation, subscription or
  cookie plea (a first- or second-person appeal: "support us", "ad-free"); a longer paragraph
  that happens to quote one is article text;
- "weak": words that make only a short line (at most SHORT_LINE words) a plea ("donate",
  "subscribe"), because an article may well report that someone donated or subscribed;
- "openers": short lines (at most SHORT_LINE words) that open a message box ("A Message from *",
  "Dear readers,"); the line and everything after it are dropped;
- "credit": words that start a photo credit line ("Photo:", "Photograph by");
- "stopwords": frequent function words, to tell whether a text is in this language at all (a
  page in a language no list covers gets a warning: its clutter may be left in).

Only languages whose wording the authors could check are listed; a site adds its own lines with
drop_lines. Chinese is matched by whole lines only (see LANGUAGES["zh"] below)."""

from __future__ import annotations

SHORT_LINE = 12  # words; a "weak" word drops a line only this short, and an opener is this short
WILD_LINE = 8  # words; a built-in entry with `*` ("* comments") drops only a line this short
PLEA_LINE = 50  # words; a longer paragraph quoting a plea phrase is kept

# agencies and photo libraries that appear after a "/" in a credit line ("Jane Doe / Reuters")
PICTURE_AGENCIES = (
    "pexels", "unsplash", "pixabay", "shutterstock", "getty", "getty images", "afp", "ap", "reuters",
    "epa", "epa-efe", "alamy", "istock", "istockphoto", "tass", "ria novosti", "sputnik", "anadolu",
    "dpa", "picture alliance", "picture-alliance", "imago", "zuma", "zuma press", "sipa", "rex",
    "rex features", "pa", "pa images", "pa wire", "bloomberg", "wikimedia", "wikimedia commons",
    "flickr", "kremlin.ru", "mil.ru", "handout", "ap photo", "x", "twitter", "telegram", "instagram",
    "facebook", "youtube", "the moscow times", "the associated press", "corbis", "xinhua",
)

LANGUAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "widgets": (
            "×", "x", "once", "monthly", "annual", "yearly", "continue", "read more", "read more:",
            "read more *", "read next", "read next:", "read also", "read also:", "see more",
            "see also", "see also:", "show more", "load more", "more", "more stories", "more on this story",
            "don't miss", "dont miss", "don’t miss", "most read", "most read *", "most popular",
            "most viewed", "trending", "trending now", "top stories", "latest", "latest news",
            "related", "related articles", "related articles *", "related stories", "related news",
            "related content", "related topics", "you may also like", "you might also like",
            "recommended", "recommended for you", "advertisement", "advertising", "sponsored",
            "sponsored content", "share", "share this", "share this article", "share this story",
            "share on facebook", "share on twitter", "share on x", "share via email", "tweet",
            "email", "print", "copy link", "link copied", "comments", "comment", "view comments",
            "leave a comment", "follow us", "follow us on *", "sign up", "sign in", "log in",
            "register", "click here", "listen", "listen to this article", "listen to article",
            "watch", "watch:", "video", "play video", "image", "photo", "gallery", "open gallery",
            "skip advert", "skip ad", "close", "menu", "search", "back to top", "next", "previous",
            "next article", "previous article", "paiment methods", "payment methods",
            "not ready to support today?", "remind me later", "maybe later", "no thanks",
            "topics", "tags", "tags:", "*min read", "* min read", "* minutes read", "updated",
            "home", "news", "world", "world news", "opinion", "breaking", "breaking news", "live",
            "get the latest *", "enter your email *", "thank you for subscribing",
        ),
        "pleas": (
            "ad-free", "ad free", "support us", "your support", "support our journalism",
            "support independent journalism", "we need your help", "need your support",
            "disabled all ads", "remind me later", "donate now", "make a donation",
            "make a contribution", "become a member", "become a supporter", "become a subscriber",
            "subscribe now", "subscribe to our", "subscribe today", "sign up for our newsletter",
            "sign up to our newsletter", "newsletter sign up", "newsletter signup",
            "accept cookies", "cookie policy", "cookie settings", "we use cookies",
            "this website uses cookies", "our journalism is", "help us keep", "keep our journalism",
            "contribute today", "chip in", "already a subscriber", "already subscribed",
            "turn off your ad blocker", "ad blocker", "adblock", "whitelist us",
            "all rights reserved", "start your free trial",
        ),
        "weak": ("donate", "donation", "donations", "subscribe", "subscription", "subscribers",
                 "cookie", "cookies", "newsletter", "newsletters", "advert", "advertisement",
                 "sponsored", "contribution", "contributions", "paywall", "privacy policy",
                 "terms of service", "by clicking", "unlimited access", "free trial"),
        "openers": ("a message from *", "a message from the *", "dear readers,", "dear readers",
                    "dear reader,", "dear reader", "a note to our readers*", "before you go*",
                    "before you go..."),
        "credit": ("photo", "photos", "photo by", "photograph", "photograph by", "photographs",
                   "picture", "pictured", "image", "image by", "image credit", "images", "credit",
                   "credits", "illustration", "video", "source", "©", "(c)", "copyright"),
        "stopwords": (
            "the", "of", "and", "to", "in", "a", "is", "that", "for", "was", "on", "with", "as",
            "he", "she", "it", "his", "her", "by", "at", "from", "are", "were", "have", "has",
            "had", "be", "been", "their", "they", "this", "not", "but", "which", "who", "said",
            "an", "or", "its", "will", "would",
        ),
    },
    "de": {
        "widgets": (
            "mehr", "mehr lesen", "weiterlesen", "mehr zum thema", "mehr zum thema:", "lesen sie auch",
            "lesen sie auch:", "auch interessant", "auch interessant:", "das könnte sie auch interessieren",
            "meistgelesen", "meistgelesene artikel", "anzeige", "werbung", "teilen", "artikel teilen",
            "kommentare", "drucken", "schließen", "zurück", "weiter", "verwandte artikel",
            "empfohlene artikel", "newsletter abonnieren", "jetzt abonnieren", "einmalig",
            "monatlich", "jährlich", "später erinnern",
        ),
        "pleas": ("unterstützen sie uns", "ihre unterstützung", "jetzt spenden", "jetzt unterstützen",
                  "werden sie mitglied", "abonnieren sie", "wir verwenden cookies",
                  "cookie-einstellungen", "datenschutzerklärung", "alle rechte vorbehalten",
                  "werbefrei", "adblocker"),
        "weak": ("spenden", "spende", "abonnieren", "abo", "abonnement", "newsletter", "cookies"),
        "openers": ("liebe leserinnen und leser*", "liebe leser*", "eine nachricht von *"),
        "credit": ("foto", "fotos", "bild", "bildquelle", "quelle", "©"),
        "stopwords": (
            "der", "die", "das", "und", "in", "zu", "den", "von", "ist", "nicht", "mit", "sich",
            "des", "auf", "für", "im", "dem", "ein", "eine", "als", "auch", "es", "an", "wurde",
            "werden", "hat", "aus", "er", "sie", "nach", "bei", "einer", "um", "am", "sind", "noch",
            "wie", "einem", "über", "so", "zum", "haben", "nur", "oder", "aber", "vor", "zur", "bis",
        ),
    },
    "fr": {
        "widgets": (
            "lire aussi", "lire aussi :", "lire plus", "lire la suite", "à lire aussi",
            "voir aussi", "en savoir plus", "plus d'infos", "les plus lus", "articles liés",
            "sur le même sujet", "publicité", "partager", "partager cet article", "commentaires",
            "imprimer", "fermer", "suivant", "précédent", "une fois", "mensuel", "annuel",
            "me le rappeler plus tard", "s'abonner", "abonnez-vous",
        ),
        "pleas": ("soutenez-nous", "soutenez notre", "votre soutien", "faire un don",
                  "nous avons besoin de votre", "abonnez-vous", "déjà abonné",
                  "nous utilisons des cookies", "politique de confidentialité",
                  "tous droits réservés", "sans publicité", "bloqueur de publicité"),
        "weak": ("don", "dons", "abonnement", "abonner", "newsletter", "cookies"),
        "openers": ("chers lecteurs*", "chères lectrices*", "un message de *"),
        "credit": ("photo", "photos", "crédit", "crédits", "illustration", "©"),
        "stopwords": (
            "le", "la", "les", "de", "des", "du", "et", "à", "un", "une", "en", "est", "que", "qui",
            "dans", "pour", "pas", "sur", "au", "il", "elle", "ne", "se", "par", "plus", "avec",
            "ce", "son", "sa", "ses", "aux", "ont", "été", "a", "mais", "ou", "leur", "selon",
        ),
    },
    "es": {
        "widgets": (
            "leer más", "lee también", "lea también", "te puede interesar", "le puede interesar",
            "también te puede interesar", "lo más leído", "más leídas", "noticias relacionadas",
            "artículos relacionados", "publicidad", "compartir", "comentarios", "imprimir",
            "cerrar", "siguiente", "anterior", "una vez", "mensual", "anual", "recordar más tarde",
            "suscríbete", "suscribirse",
        ),
        "pleas": ("apóyanos", "apoya nuestro", "tu apoyo", "su apoyo", "hazte socio",
                  "haz una donación", "necesitamos tu ayuda", "suscríbete", "ya eres suscriptor",
                  "utilizamos cookies", "usamos cookies", "política de privacidad",
                  "todos los derechos reservados", "sin publicidad", "bloqueador de anuncios"),
        "weak": ("donar", "donación", "suscripción", "suscribirse", "boletín", "newsletter", "cookies"),
        "openers": ("queridos lectores*", "querido lector*", "un mensaje de *"),
        "credit": ("foto", "fotos", "fotografía", "imagen", "crédito", "©"),
        "stopwords": (
            "el", "la", "los", "las", "de", "del", "y", "en", "que", "a", "un", "una", "es", "por",
            "con", "no", "se", "su", "sus", "para", "al", "lo", "como", "más", "pero", "fue", "ha",
            "han", "sobre", "este", "esta", "entre", "cuando", "también", "o", "sin", "ya", "dijo",
        ),
    },
    "ru": {
        "widgets": (
            "читать также", "читайте также", "читайте также:", "читать далее", "подробнее",
            "ещё", "еще", "смотрите также", "по теме", "по теме:", "самое читаемое",
            "популярное", "реклама", "поделиться", "комментарии", "печать", "закрыть", "далее",
            "назад", "однократно", "ежемесячно", "ежегодно", "напомнить позже", "подписаться",
        ),
        "pleas": ("поддержите нас", "ваша поддержка", "ваша помощь", "поддержать нас",
                  "пожертвовать", "сделать пожертвование", "подпишитесь на", "мы используем cookie",
                  "мы используем файлы cookie", "политика конфиденциальности",
                  "все права защищены", "без рекламы"),
        "weak": ("пожертвование", "донат", "подписка", "подписаться", "рассылка", "cookie"),
        "openers": ("дорогие читатели*", "уважаемые читатели*", "обращение редакции*"),
        "credit": ("фото", "фотография", "иллюстрация", "источник", "©"),
        # words Russian uses and Ukrainian, Belarusian and Bulgarian mostly do not
        "stopwords": (
            "и", "что", "это", "как", "он", "она", "они", "был", "была", "были", "его", "её", "ее",
            "который", "которые", "которая", "также", "если", "или", "уже", "только", "из", "от",
            "о", "с", "к", "не", "на", "в", "по", "для", "при", "после", "во", "со", "чтобы",
            "сказал", "заявил", "году",
        ),
    },
    # Chinese, simplified and traditional: the chrome of Chinese news pages (related reading, print
    # and close buttons, font-size switches, the editor's name line, share and QR-code prompts),
    # written from the authors' knowledge of those sites, not from the pages the import is measured
    # on. Chinese has no spaces between words, so its lines are matched whole (a `*` entry: a line
    # of at most WILD_LINE word-equivalents), and the language is told by its characters
    # (clutter.language_of), not by function words.
    "zh": {
        "widgets": (
            "相关新闻", "相关阅读", "相关文章", "相关报道", "相关链接", "相关专题", "延伸阅读", "推荐阅读",
            "热门推荐", "精彩推荐", "编辑推荐", "猜你喜欢", "热门文章", "热点新闻", "最新新闻", "今日推荐",
            "更多", "更多>>", "更多新闻", "查看更多", "点击查看", "点击进入", "阅读原文", "阅读全文",
            "展开全文", "返回首页", "返回顶部", "回到顶部", "返回列表", "打印", "打印本页", "打印此文",
            "关闭", "关闭窗口", "收藏", "收藏本文", "分享", "分享到", "转发", "评论", "我要评论",
            "发表评论", "网友评论", "查看评论", "查看全部评论", "推荐给朋友", "字号", "字号 大 中 小",
            "大 中 小", "上一页", "下一页", "上一篇", "下一篇", "上一篇*", "下一篇*", "责任编辑*",
            "编辑*", "扫一扫", "扫码关注*", "扫描二维码*", "微信扫一扫*", "关注我们", "下载客户端",
            "广告", "举报", "纠错", "打印 关闭", "完",
            "相關新聞", "相關閱讀", "延伸閱讀", "推薦閱讀", "熱門推薦", "更多新聞", "閱讀全文", "返回首頁",
            "回到頂部", "列印", "列印本頁", "關閉", "關閉視窗", "分享到", "我要評論", "發表評論",
            "上一頁", "下一頁", "上一篇*", "下一篇*", "責任編輯*", "編輯*", "廣告", "檢舉",
        ),
        "pleas": ("版权所有", "版權所有", "未经授权", "禁止转载", "转载请注明出处", "欢迎订阅"),
        "weak": (),
        "openers": (),
        "credit": ("图片来源", "圖片來源", "图片", "圖片", "摄影", "攝影", "图", "圖", "来源", "來源"),
        "stopwords": (),
    },
}

# Lines trafilatura keeps inside the article's container on real saved pages (video players,
# comment loaders, slide shows, wiki chrome), seen on Mozilla Readability's test pages (not on
# the quality benchmark's pages). Added here, apart, so the lists above stay as they were.
LANGUAGES["en"]["widgets"] = (
    *LANGUAGES["en"]["widgets"],
    "this is a modal window", "chapters", "descriptions off, selected", "subtitles off, selected",
    "captions off, selected", "captions settings", "default, selected", "now watching",
    "next video starts in*", "unfortunately, this video is not available in your region",
    "this video is not available in your region", "loading comments", "loading", "please wait",
    "this feature is temporarily unavailable. please try again later", "fullscreen", "thumbnails",
    "related videos", "featured slide shows", "recent slide shows", "jump to navigation",
    "jump to search", "from the section *", "* comments", "photocredit*", "view gallery",
    "replay video", "up next", "more videos", "watch more", "most read in *", "sign up for *newsletter*",
)

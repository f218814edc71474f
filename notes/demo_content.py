"""Demo content for ``manage.py seed_demo``: fictional authors and short notes."""

SERIES = [
    {"slug": "redian", "name": "热点", "description": "对当下重大事件的快速研判。"},
    {"slug": "hongguan", "name": "宏观", "description": "宏观经济与政策走势。"},
    {"slug": "chanye", "name": "产业", "description": "产业链、科技与企业。"},
]

NOTE_TYPES = [
    {"slug": "research-note", "name": "研究简报", "name_en": "Research Note"},
    {"slug": "report", "name": "研究报告", "name_en": "Report"},
    {"slug": "commentary", "name": "评论", "name_en": "Commentary"},
]

AUTHORS = [
    {
        "slug": "lin-xiaolan",
        "name": "林晓岚",
        "title": "高级研究员",
        "affiliation": "新知财经研究院",
        "bio": "研究方向为中美关系与国际政治经济，长期跟踪美国对华政策。",
    },
    {
        "slug": "zhou-ziheng",
        "name": "周子衡",
        "title": "特约研究员",
        "affiliation": "新知财经研究院",
        "bio": "关注货币政策、金融市场与跨境资本流动。",
    },
    {
        "slug": "chen-mo",
        "name": "陈默",
        "title": "研究员",
        "affiliation": "新知财经研究院",
        "bio": "研究新能源、半导体等战略性产业的发展与政策。",
    },
    {
        "slug": "wang-ruoxi",
        "name": "王若溪",
        "title": "助理研究员",
        "affiliation": "新知财经研究院",
        "bio": "关注区域经济、城市化与地方财政。",
    },
    {
        "slug": "emily-carter",
        "name": "Emily Carter",
        "title": "Senior Fellow",
        "affiliation": "Example Policy Institute",
        "bio": "Works on trade policy and supply chains in the Asia-Pacific.",
    },
]

# Each note: (days after 2021-01-01 it was published; None for a draft, a
# negative number for "this many days from now", i.e. scheduled).
NOTES = [
    {
        "slug": "anchorage-talks-2021",
        "title": "安克雷奇会谈：中美高层对话在交锋中开场",
        "series": "redian",
        "type": "research-note",
        "published": "2021-03-22 09:00",
        "authors": ["lin-xiaolan"],
        "topics": ["中美关系", "外交"],
        "summary": (
            "2021年3月18日至19日，中美高层在美国阿拉斯加州安克雷奇举行拜登政府执政后的首次"
            "面对面会谈。开场环节远超预定时长，双方在镜头前公开陈述立场、彼此回应，"
            "外界普遍以“火药味”形容这场对话。本文认为，会谈难以产生具体成果在双方预料之中，"
            "其意义在于重新建立高层沟通渠道，并让各自的底线在对方面前清晰呈现。"
        ),
        "sections": [
            (
                "",
                "这次会谈是新一届美国政府上任两个月后，两国外交团队第一次坐到同一张桌子前。"
                "美方由国务卿和国家安全顾问出席，中方由主管外事工作的高级官员和外长出席。",
            ),
            (
                "一、开场白为何罕见地公开交锋",
                "按照惯例，开场致辞只是简短寒暄，随后记者离场、进入闭门会谈。"
                "这一次，美方在致辞中集中提出了一系列批评，中方随即要求再次发言，"
                "逐条回应，双方的公开陈述持续了一个多小时。\n\n"
                "公开交锋的对象不只是对方，也是国内受众和第三方观众。"
                "美方希望展示与盟友协调一致的姿态，中方则强调平等相待、不接受居高临下的说教。",
            ),
            (
                "二、会谈之前的相互试探",
                "会谈之前，美方先后与日本、韩国举行外长和防长“2+2”会谈，"
                "并出台了针对个别中方官员的制裁措施；中方则通过多个渠道表明，"
                "希望双方管控分歧、恢复正常交往。\n\n"
                "这些安排说明，双方都预料到不会在短时间内弥合立场差异，"
                "于是把重点放在表明态度和争取主动上。",
            ),
            (
                "三、对话本身就是成果",
                "闭门会谈在气候变化、公共卫生、人员往来等领域进行了务实讨论。"
                "在战略竞争的大背景下，保持对话、避免误判，本身就具有重要价值。"
                "今后一段时期，竞争与合作并存的格局很可能延续，高层沟通的频率和质量值得持续观察。",
            ),
        ],
        # A correction published two days later: (kind, when, public note, (now, before)).
        "corrections": [
            (
                "correction",
                "2021-03-24 10:00",
                "初版将双方公开陈述的时长误写为“半个多小时”，已更正为“一个多小时”。",
                ("一个多小时", "半个多小时"),
            ),
        ],
    },
    {
        "slug": "rate-path-2021",
        "title": "美联储政策转向对新兴市场的外溢效应",
        "series": "hongguan",
        "type": "research-note",
        "published": "2021-06-18 10:00",
        "authors": ["zhou-ziheng"],
        "topics": ["货币政策", "美联储", "资本流动"],
        "summary": (
            "美联储议息会议释放出提前加息的信号，美元指数走强、长端利率上行。"
            "历史经验表明，美国货币政策转向往往引发新兴市场资本外流和汇率波动。"
            "本文比较了2013年“缩减恐慌”时期与当前的条件差异，认为外部冲击总体可控，"
            "但对外债负担较重的经济体仍需警惕。"
        ),
        "sections": [
            (
                "一、信号比行动更重要",
                "点阵图显示，多数委员预计加息时点提前。市场在会后迅速重新定价，"
                "短端利率反应明显，显示预期管理本身已经改变了金融条件。",
            ),
            (
                "二、与2013年相比有何不同",
                "与当年相比，主要新兴经济体的经常账户状况普遍改善，外汇储备更加充足，"
                "本币债务占比上升，这些都降低了外部冲击的传导强度。",
            ),
            (
                "三、政策建议",
                "应保持汇率弹性，发挥其吸收外部冲击的作用；同时加强对跨境资本流动的监测，"
                "避免短期资金大进大出放大市场波动。",
            ),
        ],
    },
    {
        "slug": "semiconductor-supply-chain",
        "title": "全球芯片短缺下的产业链重构",
        "series": "chanye",
        "type": "report",
        "published": "2021-09-08 09:30",
        "authors": ["chen-mo", "lin-xiaolan"],
        "topics": ["半导体", "供应链", "中美关系"],
        "summary": (
            "汽车、消费电子等行业持续受到芯片供应不足的困扰。"
            "短缺既有疫情带来的需求错配，也暴露出产能过度集中的结构性风险。"
            "主要经济体纷纷出台扶持本土制造的政策，全球半导体产业链正在走向区域化。"
        ),
        "sections": [
            (
                "",
                "芯片短缺从2020年底开始显现，到2021年已经蔓延到多个下游行业。",
            ),
            (
                "一、短缺的成因",
                "疫情期间居家办公拉动电子产品需求，而汽车厂商在需求低谷时削减了订单，"
                "等到需求回升，晶圆代工产能已被其他客户占满。",
            ),
            (
                "二、各国的应对",
                "美国、欧盟、日本和韩国相继提出大规模补贴计划，吸引先进制程产能落地。"
                "产业政策的竞争，正在改变过去以效率为先的全球分工逻辑。",
            ),
            (
                "三、对国内产业的启示",
                "应在成熟制程上稳定产能、保障供应，同时在设备、材料等薄弱环节持续投入，"
                "以开放合作提升产业链的韧性。",
            ),
        ],
    },
    {
        "slug": "property-tax-pilot",
        "title": "房地产税试点：目标、难点与节奏",
        "series": "hongguan",
        "type": "commentary",
        "published": "2021-10-25 08:00",
        "authors": ["wang-ruoxi"],
        "topics": ["房地产", "财政"],
        "summary": (
            "全国人大常委会授权在部分地区开展房地产税改革试点。"
            "房地产税有助于完善地方税体系、引导住房合理消费，但在税基评估、"
            "免征面积和征管能力方面仍面临挑战，试点宜稳步推进。"
        ),
        "sections": [
            (
                "一、为什么是现在",
                "土地出让收入波动加大，地方财政需要更稳定的收入来源；"
                "同时，房地产市场调控需要长效机制。",
            ),
            (
                "二、需要解决的几个问题",
                "一是税基如何评估，二是免征范围如何设定，三是与现有税费如何衔接。"
                "这些问题的答案决定了税负水平和社会接受度。",
            ),
        ],
    },
    {
        "slug": "rcep-takes-effect",
        "title": "RCEP生效：区域贸易格局的新起点",
        "series": "redian",
        "type": "research-note",
        "published": "2022-01-04 09:00",
        "authors": ["emily-carter", "zhou-ziheng"],
        "topics": ["贸易", "区域合作", "供应链"],
        "summary": (
            "《区域全面经济伙伴关系协定》正式生效，覆盖全球约三成人口和经济总量。"
            "关税减让和原产地累积规则将降低区域内的贸易成本，"
            "有助于稳定产业链供应链，企业应及早研究规则、用好协定红利。"
        ),
        "sections": [
            (
                "一、原产地累积规则的意义",
                "区域内多国的中间品可以累积计算原产地价值，这让跨国分工的产品更容易享受优惠关税。",
            ),
            (
                "二、企业如何用好协定",
                "出口企业应梳理产品的关税减让表，评估原产地资格，并关注各成员国海关的操作细则。",
            ),
        ],
    },
    {
        "slug": "new-energy-vehicles-2022",
        "title": "新能源汽车渗透率突破后的下一程",
        "series": "chanye",
        "type": "research-note",
        "published": "2022-07-12 10:00",
        "authors": ["chen-mo"],
        "topics": ["新能源", "汽车"],
        "summary": (
            "新能源汽车月度销量渗透率已超过四分之一，行业从政策驱动转向市场驱动。"
            "下一阶段，竞争焦点将转向电池成本、智能化体验和海外市场。"
        ),
        "sections": [
            (
                "一、从补贴驱动到产品驱动",
                "购置补贴逐步退坡，但销量不降反升，说明消费者对产品本身的认可度明显提高。",
            ),
            (
                "二、值得关注的风险",
                "上游原材料价格大幅波动，挤压整车企业利润；充电基础设施在部分地区仍显不足。",
            ),
        ],
    },
    {
        "slug": "local-government-debt",
        "title": "地方政府债务：化解存量与规范增量并重",
        "series": "hongguan",
        "type": "report",
        "published": "2023-02-15 09:00",
        "authors": ["wang-ruoxi", "zhou-ziheng"],
        "topics": ["财政", "地方债"],
        "summary": (
            "部分地区债务负担较重、偿债压力集中。化解地方债务风险需要在"
            "延长期限、降低成本和盘活资产之间统筹，同时健全举债融资机制，防止新增隐性债务。"
        ),
        "sections": [
            (
                "一、风险的分布",
                "债务压力主要集中在财力较弱、土地收入下降较快的地区，平台公司的再融资压力尤为突出。",
            ),
            (
                "二、可选的工具",
                "包括发行再融资债券置换高成本债务、推动平台公司市场化转型、盘活存量国有资产等。",
            ),
            (
                "三、长效机制",
                "应理顺中央与地方财政关系，提高预算透明度，让举债与偿债能力相匹配。",
            ),
        ],
    },
    {
        "slug": "ai-large-models",
        "title": "大模型热潮下的算力与数据",
        "series": "chanye",
        "type": "commentary",
        "published": "2023-05-30 09:00",
        "authors": ["chen-mo"],
        "topics": ["人工智能", "半导体"],
        "summary": (
            "生成式人工智能带动算力需求快速增长。高端芯片供给受限、"
            "高质量中文数据不足，是国内大模型发展面临的两大约束。"
        ),
        "sections": [
            (
                "一、算力约束",
                "训练大模型需要大量高端加速芯片，出口管制使获取难度上升，"
                "推动国内加快发展替代方案并提高算力利用效率。",
            ),
            (
                "二、数据约束",
                "公开的高质量中文语料有限，应在保护隐私和版权的前提下，"
                "推动公共数据开放和行业数据的合规流通。",
            ),
        ],
    },
    {
        "slug": "us-china-working-groups",
        "title": "中美经贸工作组机制的意义与局限",
        "series": "redian",
        "type": "research-note",
        "published": "2023-09-26 09:00",
        "authors": ["lin-xiaolan"],
        "topics": ["中美关系", "贸易"],
        "summary": (
            "两国商务部门宣布建立新的沟通机制，就具体经贸问题定期交流。"
            "机制化沟通有助于减少误判、稳定预期，但难以改变双方在科技和安全领域的竞争态势。"
        ),
        "sections": [
            (
                "一、机制的作用",
                "工作组把问题拆解到可操作的层面，让企业关心的具体事项有了表达渠道。",
            ),
            (
                "二、局限所在",
                "出口管制和投资审查涉及安全考量，不在工作组的讨论范围之内，分歧仍将长期存在。",
            ),
        ],
    },
    {
        "slug": "consumption-recovery-2024",
        "title": "促消费政策的着力点",
        "series": "hongguan",
        "type": "commentary",
        "published": "2024-03-12 09:00",
        "authors": ["zhou-ziheng"],
        "topics": ["消费", "财政"],
        "summary": (
            "居民消费恢复慢于预期，核心在于收入预期偏弱和预防性储蓄上升。"
            "促消费应从提高收入、完善社会保障和改善消费环境三方面发力。"
        ),
        "sections": [
            (
                "一、消费为何偏弱",
                "就业和收入的不确定性上升，房地产财富效应减弱，居民更倾向于增加储蓄。",
            ),
            (
                "二、政策着力点",
                "提高低收入群体的转移支付，扩大养老、医疗等保障覆盖面，"
                "并推动以旧换新等措施释放耐用品需求。",
            ),
        ],
    },
    {
        "slug": "trade-supply-chains-english",
        "title": "Supply chains after the tariff wars: diversification, not decoupling",
        "series": "chanye",
        "type": "research-note",
        "published": "2024-06-20 09:00",
        "language": "en",
        "authors": ["emily-carter"],
        "topics": ["Trade", "供应链"],
        "summary": (
            "Five years of tariffs and export controls have changed where goods are assembled "
            "far more than where their parts come from. Firms are adding plants in Southeast Asia "
            "and Mexico while keeping suppliers in China. We call this diversification, "
            "and argue that policy should plan for it rather than for a clean decoupling."
        ),
        "sections": [
            (
                "1. What the trade data show",
                "Direct imports from China into the United States fell as a share of the total, "
                "but imports of components into the new assembly hubs rose at the same time.",
            ),
            (
                "2. Why firms hedge",
                "Moving final assembly is cheaper than rebuilding a supplier base. Most firms "
                "keep a **China plus one** structure to stay close to both markets.",
            ),
            (
                "3. Policy implications",
                "Rules of origin, not headline tariffs, decide whether diversification changes "
                "value added. Governments should publish clear, stable rules.",
            ),
        ],
    },
    {
        "slug": "green-finance-english",
        "title": "Green bonds in China: growing fast, pricing risk slowly",
        "series": "hongguan",
        "type": "commentary",
        "published": "2024-09-10 09:00",
        "language": "en",
        "authors": ["emily-carter", "zhou-ziheng"],
        "topics": ["Green finance", "资本流动"],
        "summary": (
            "China is now one of the largest issuers of green bonds. Harmonised taxonomies "
            "have made the market easier for foreign investors to read, yet the price "
            "difference between green and ordinary bonds remains small."
        ),
        "sections": [
            (
                "1. Standards converge",
                "The common ground taxonomy narrows the gap between domestic and international "
                "definitions of eligible projects.",
            ),
            (
                "2. The missing premium",
                "Investors do not yet pay much for the label, which suggests that disclosure, "
                "not demand, is the binding constraint.",
            ),
        ],
    },
    {
        "slug": "county-charging-ledger",
        "title": "县域充电网络：三年建设的一本账",
        "series": "chanye",
        "type": "research-note",
        "published": "2025-06-16 09:00",
        "authors": ["chen-mo", "wang-ruoxi"],
        "topics": ["新能源", "区域经济"],
        "summary": (
            "本文用一组示例数据说明如何读县域充电网络的账：桩数增长很快，"
            "利用率却追得很慢，东中西部之间的差距比城乡之间更大。"
            "文中数字均为演示而编制，不是真实统计。"
        ),
        "sections": [
            (
                "",
                "三年来，县城和乡镇的公共充电桩从稀少变得常见[^demo]。"
                "[[图1]]画出了每万人拥有的公共充电桩数，[[图2]]画出了平均利用率，"
                "[[表1]]按地区列出了几项指标；其中的数字都是示例[^demo]。\n\n"
                "[[图1]]\n\n"
                "[^demo]: 本文全部数字均为演示而编制，不代表任何地区的真实情况。",
            ),
            (
                "一、桩建得快，车来得慢",
                "桩数每年增长四成以上，而单桩的平均利用率只从9%升到24%[^rate]。"
                "在车辆保有量追上来之前，不少站点要靠地方补贴维持运营。\n\n"
                "[[图2]]\n\n"
                "[^rate]: 利用率指一天中有车充电的时长占24小时的比例。",
            ),
            (
                "二、地区之间的差距",
                "按地区看，东部县域的利用率已接近城市水平，西部仍有大量桩位闲置，见[[表1]]。\n\n"
                "表：各地区县域公共充电桩的示例指标（2025年）\n\n"
                "| 地区 | 每万人桩数 | 平均利用率 | 快充占比 | 运营主体数 |\n"
                "|:-----|----------:|----------:|--------:|----------:|\n"
                "| 东部 | 21.3 | 31% | 58% | 14 |\n"
                "| 中部 | 13.8 | 22% | 47% | 9 |\n"
                "| 西部 | 8.1 | 12% | 39% | 5 |\n"
                "| 东北 | 6.7 | 10% | 35% | 4 |\n\n"
                "来源：示例数据，为演示编制。",
            ),
        ],
        # Drawn by notes.demo_charts when the demo is seeded: (kind, labels, values, top).
        "figures": [
            {
                "chart": (
                    "bar",
                    ["2021", "2022", "2023", "2024", "2025"],
                    [3.1, 5.4, 8.2, 11.6, 14.9],
                    16,
                ),
                "caption": "县域每万人公共充电桩数（示例数据）",
                "source": "示例数据，为演示编制。",
                "alt": "柱状图：每万人公共充电桩数从2021年的3.1个逐年增加到2025年的14.9个。",
            },
            {
                "chart": (
                    "line",
                    ["2021", "2022", "2023", "2024", "2025"],
                    [[9, 12, 15, 19, 24], [31, 33, 34, 36, 38]],
                    40,
                ),
                "caption": "县域（蓝）与城市（红）公共充电桩平均利用率，%（示例数据）",
                "source": "示例数据，为演示编制。",
                "alt": "折线图：县域利用率从9%升到24%，城市从31%升到38%，两者差距在缩小。",
            },
        ],
    },
    {
        "slug": "digital-yuan-draft",
        "title": "数字人民币跨境试点观察（草稿）",
        "series": "hongguan",
        "type": "research-note",
        "status": "draft",
        "authors": ["zhou-ziheng"],
        "topics": ["货币政策"],
        "summary": "草稿：跨境试点的进展与挑战。",
        "sections": [("一、试点进展", "待补充。")],
    },
    {
        "slug": "outlook-next-year",
        "title": "明年宏观经济展望（定时发布）",
        "series": "hongguan",
        "type": "report",
        "scheduled_in_days": 30,
        "authors": ["zhou-ziheng", "wang-ruoxi"],
        "topics": ["宏观展望"],
        "summary": "对明年增长、通胀和政策取向的基准判断。",
        "sections": [("一、基准情形", "增长保持平稳，政策注重逆周期调节。")],
    },
]

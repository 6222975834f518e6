#!/usr/bin/env python3
"""Build the gold `.tandai.ron` files for the stories in id/ and en/.

Each story's annotations are written below as a list of spans
    (label, exact quote)            -- the quote occurs exactly once in the article
    (label, exact quote, n)         -- take the n-th occurrence (0-based) of the quote
numbered 1, 2, 3, ... in the order listed, and a list of links
    (kind, from_span_number, to_span_number).

Offsets are Python `str` indices (Unicode code points), start inclusive, end exclusive.
The script checks every quote against the article, checks link types, sorts spans by
position, renumbers span ids 1..n in that order (links are remapped), and writes
NAME.tandai.ron beside NAME.txt.

Usage: python3 make.py [--show]     (--show prints every span with its context)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ANNOTATOR = "gold"

C, S, D = "claim", "source", "denial"

STORIES = {
    # ------------------------------------------------------------------ Indonesian
    "id/bea-cukai-peluru.txt": dict(
        spans=[
            (S, "Kepala Bea Cukai Tanjung Perak, Rudi Hartono"),                        # 1
            (C, "petugas menyita sekitar 12.000 butir peluru dari sebuah kontainer "
                "berlabel suku cadang mesin pada Senin malam"),                          # 2
            (C, "Kontainer itu dikirim dari Batam dan muatannya tidak tercantum dalam manifes"),  # 3
            (S, "Rudi", 1),                                                              # 4 kata Rudi
            (S, "Rudi", 2),                                                              # 5 Rudi menjelaskan
            (C, "kontainer itu dicurigai karena bobotnya jauh melebihi angka yang "
                "tercantum dalam dokumen pengiriman"),                                   # 6
            (S, "Kepolisian Daerah Jawa Timur"),                                         # 7
            (C, "kontainer tersebut milik PT Samudra Lintas Jaya, sebuah perusahaan "
                "ekspedisi yang berkantor di Sidoarjo"),                                 # 8
            (S, "Polisi"),                                                               # 9
            (C, "perusahaan itu telah tiga kali mengirim barang terlarang melalui "
                "pelabuhan yang sama sejak tahun lalu"),                                 # 10
            (S, "Direktur PT Samudra Lintas Jaya, Hendra Wijaya"),                      # 11
            (D, "membantah bahwa perusahaannya memiliki kontainer itu maupun pernah "
                "mengirim barang terlarang"),                                            # 12
            (C, "Kami hanya menyewakan truk. Kami tidak tahu apa isi kontainer itu"),   # 13
            (S, "Hendra", 1),                                                            # 14 ujar Hendra
            (S, "Dia"),                                                                  # 15
            (C, "perusahaannya siap bekerja sama dengan penyidik"),                     # 16
            (C, "peluru tersebut hendak dikirim ke sebuah klub menembak ilegal di Makassar"),  # 17 unattributed
            (C, "Penyidik masih menelusuri siapa pemesan peluru tersebut"),             # 18
            (S, "Rudi", 3),                                                              # 19 kata Rudi.
        ],
        links=[
            ("said_by", 2, 1), ("said_by", 3, 4), ("said_by", 6, 5),
            ("said_by", 8, 7), ("said_by", 10, 9),
            ("said_by", 12, 11), ("denies", 12, 8), ("denies", 12, 10),
            ("said_by", 13, 14), ("said_by", 16, 15), ("said_by", 18, 19),
        ],
    ),
    "id/banjir-tambang.txt": dict(
        spans=[
            (S, "Kementerian Lingkungan Hidup"),                                         # 1
            (S, "juru bicaranya Sari Wulandari"),                                        # 2
            (C, "PT Bumi Karya Tambang membuang limbah tambang ke hulu Sungai Cikaengan "
                "sehingga memperparah banjir bandang pekan lalu"),                       # 3
            (C, "Kami menemukan endapan lumpur tambang hingga dua kilometer dari lokasi konsesi"),  # 4
            (S, "Sari", 1),                                                              # 5 kata Sari
            (S, "Sari", 2),                                                              # 6 Sari juga mengatakan
            (C, "warga setempat telah melapor bahwa air sungai berubah warna sejak Oktober"),  # 7
            (S, "warga setempat"),                                                       # 8 nested source
            (C, "air sungai berubah warna sejak Oktober"),                              # 9 nested claim
            (S, "Warga Desa Cikaso, Dedi Kurniawan"),                                   # 10
            (C, "Air sungai kami cokelat pekat sejak tambang dibuka 😢 #SelamatkanCikaengan"),  # 11
            (S, "Juru bicara PT Bumi Karya Tambang, Agus Setiawan"),                    # 12
            (D, "menepis tuduhan itu"),                                                  # 13
            (C, "Kolam penampungan limbah kami dalam kondisi baik dan diawasi setiap hari"),  # 14
            (S, "Agus", 1),                                                              # 15 ucap Agus
            (S, "Agus", 2),                                                              # 16 Menurut Agus
            (C, "curah hujan ekstrem selama tiga hari berturut-turut menjadi penyebab utama banjir"),  # 17
            (S, "Dia"),                                                                  # 18
            (C, "perusahaan telah menyalurkan bantuan logistik kepada para korban"),    # 19
            (S, "Mereka"),                                                               # 20
            (C, "izin lingkungan tambang tersebut cacat prosedur karena diterbitkan "
                "tanpa konsultasi publik"),                                              # 21
            (C, "Kementerian belum memutuskan sanksi bagi perusahaan tersebut"),        # 22
            (S, "Sari", 3),                                                              # 23 ungkap Sari
        ],
        links=[
            ("said_by", 3, 1), ("said_by", 3, 2), ("said_by", 4, 5),
            ("said_by", 7, 6), ("said_by", 9, 8), ("said_by", 11, 10),
            ("said_by", 13, 12), ("denies", 13, 3),
            ("said_by", 14, 15), ("said_by", 17, 16), ("said_by", 19, 18),
            ("said_by", 21, 20), ("said_by", 22, 23),
        ],
    ),
    "id/wni-penipuan.txt": dict(
        spans=[
            (S, "Juru bicara Kementerian Luar Negeri, Ani Lestari"),                    # 1
            (C, "46 warga negara Indonesia yang dipaksa bekerja di sebuah kompleks "
                "penipuan daring di Sihanoukville, Kamboja, telah dipulangkan ke tanah "
                "air pada Selasa"),                                                      # 2
            (C, "Mereka dijanjikan pekerjaan sebagai staf administrasi dengan gaji "
                "15 juta rupiah per bulan"),                                             # 3
            (S, "Ani", 1),                                                               # 4 ujar Ani
            (S, "Ani", 2),                                                               # 5 Ani menegaskan
            (C, "para pekerja itu direkrut oleh PT Cahaya Karier Mandiri, sebuah agen "
                "penyalur tenaga kerja di Medan"),                                       # 6
            (S, "Salah satu korban, Yusuf Ramadhan"),                                   # 7
            (C, "Paspor kami disita sejak hari pertama dan kami dipaksa bekerja 16 jam sehari"),  # 8
            (S, "Dia"),                                                                  # 9
            (C, "sedikitnya 200 warga Indonesia lainnya masih berada di kompleks tersebut"),  # 10
            (S, "Pemilik PT Cahaya Karier Mandiri, Benny Sitorus"),                     # 11
            (D, "menyangkal telah merekrut para korban untuk bekerja di Kamboja"),      # 12
            (C, "Kami memberangkatkan mereka ke Malaysia sebagai pekerja pabrik, bukan ke Kamboja"),  # 13
            (S, "Benny", 1),                                                             # 14 kata Benny
            (S, "kantor berita Antara"),                                                 # 15
            (S, "Badan Reserse Kriminal Polri"),                                         # 16
            (C, "dua perekrut telah ditangkap di Medan pekan lalu dan kini berstatus tersangka"),  # 17
            (C, "Pemerintah tidak akan ragu memproses hukum perekrut yang terlibat"),   # 18
            (S, "Ani", 3),                                                               # 19 tegas Ani
        ],
        links=[
            ("said_by", 2, 1), ("said_by", 3, 4), ("said_by", 6, 5),
            ("said_by", 8, 7), ("said_by", 10, 9),
            ("said_by", 12, 11), ("denies", 12, 6),
            ("said_by", 13, 14), ("said_by", 13, 15),
            ("said_by", 17, 16), ("said_by", 18, 19),
        ],
    ),
    "id/politik-uang.txt": dict(
        spans=[
            (S, "Ketua Badan Pengawas Pemilu (Bawaslu) Kota Makassar, Andi Nurhaliza"),  # 1
            (C, "tim pemenangan salah satu pasangan calon wali kota membagikan amplop "
                "berisi uang kepada warga di dua kelurahan pekan lalu"),                 # 2
            (C, "Kami mengantongi rekaman video dan keterangan dari sebelas saksi"),    # 3
            (S, "Andi", 1),                                                              # 4 jelas Andi
            (S, "Andi", 2),                                                              # 5 Menurut Andi
            (C, "setiap amplop berisi uang Rp100.000 dan stiker bergambar pasangan "
                "calon nomor urut 2"),                                                   # 6
            (S, "Ketua tim pemenangan pasangan nomor urut 2, Syamsul Bahri"),           # 7
            (D, "menolak tuduhan tersebut"),                                             # 8
            (S, "Dia"),                                                                  # 9
            (C, "video yang beredar itu hasil rekayasa lawan politik"),                 # 10
            (C, "Tidak ada satu rupiah pun yang kami bagikan. Itu fitnah"),             # 11
            (S, "Syamsul", 1),                                                           # 12 tegas Syamsul
            (S, "Syamsul", 2),                                                           # 13 Syamsul juga menuding
            (C, "tim pasangan nomor urut 1 membiayai penyebaran video tersebut di media sosial"),  # 14
            (S, "Juru bicara pasangan nomor urut 1, Fitri Handayani"),                  # 15
            (D, "membantah tudingan itu"),                                               # 16
            (C, "timnya fokus berkampanye dari rumah ke rumah"),                        # 17
            (S, "Seorang warga Kelurahan Tamamaung"),                                   # 18
            (C, "uang itu dibagikan oleh dua orang yang mengenakan kaus bergambar "
                "pasangan calon nomor urut 2"),                                          # 19
            (C, "Kasus itu akan diteruskan ke Sentra Penegakan Hukum Terpadu pekan depan"),  # 20
            (S, "seorang anggota Bawaslu"),                                              # 21
        ],
        links=[
            ("said_by", 2, 1), ("said_by", 3, 4), ("said_by", 6, 5),
            ("said_by", 8, 7), ("denies", 8, 2), ("said_by", 10, 9),
            ("said_by", 11, 12), ("said_by", 14, 13),
            ("said_by", 16, 15), ("denies", 16, 14), ("said_by", 17, 15),
            ("said_by", 19, 18), ("said_by", 20, 21),
        ],
    ),
    # ------------------------------------------------------------------ English
    "en/fertiliser-subsidy.txt": dict(
        spans=[
            (S, "Kenya’s agriculture ministry"),                                         # 1
            (C, "a Mombasa-based supplier of selling counterfeit fertiliser to thousands "
                "of farmers under a government subsidy scheme"),                         # 2
            (S, "ministry spokeswoman Grace Wanjiru"),                                   # 3
            (C, "Laboratory tests found that more than half of the bags we sampled "
                "contained little more than ground limestone"),                          # 4
            (S, "Wanjiru", 1),                                                           # 5 Wanjiru told
            (S, "the ministry"),                                                         # 6 According to the ministry
            (C, "the supplier, Pwani Agro Inputs Ltd, received contracts worth 1.2 "
                "billion shillings ($9.3 million) last year"),                           # 7
            (S, "Wanjiru", 2),                                                           # 8 Wanjiru also said
            (C, "the company had bribed county officials to approve deliveries that "
                "were never inspected"),                                                 # 9
            (S, "Pwani Agro Inputs managing director Samuel Otieno"),                   # 10
            (D, "denied that the company had sold fake fertiliser or paid any official"),  # 11
            (C, "We have supplied Kenyan farmers for 15 years without a single complaint"),  # 12
            (S, "Otieno", 1),                                                            # 13 Otieno said
            (C, "We welcome an independent audit"),                                      # 14
            (S, "He"),                                                                   # 15
            (C, "the laboratory tests had been carried out on bags that did not come "
                "from the company’s warehouses"),                                        # 16
            (S, "One grower in Nakuru County, Jane Chebet"),                            # 17
            (C, "Paid for fertiliser, got chalk 🤦\u200d♀️ We’re not going to keep quiet"),  # 18
            (C, "The ministry has suspended all payments to the company pending a "
                "police investigation"),                                                 # 19
            (S, "a senior ministry official"),                                           # 20
        ],
        links=[
            ("said_by", 2, 1), ("said_by", 2, 3), ("said_by", 4, 5),
            ("said_by", 7, 6), ("said_by", 9, 8),
            ("said_by", 11, 10), ("denies", 11, 2), ("denies", 11, 9),
            ("said_by", 12, 13), ("said_by", 14, 13), ("said_by", 16, 15),
            ("said_by", 18, 17), ("said_by", 19, 20),
        ],
    ),
    "en/factory-fire.txt": dict(
        spans=[
            (C, "A fire that killed nine workers at a garment factory north of Manila on "
                "Tuesday started in a storage room where flammable solvents were kept "
                "without a permit"),                                                     # 1
            (S, "the Bureau of Fire Protection"),                                        # 2
            (S, "Fire Superintendent Ramon dela Cruz"),                                  # 3
            (C, "two of the factory's three emergency exits had been padlocked from the "
                "outside when firefighters arrived"),                                    # 4
            (C, "The workers on the second floor had nowhere to go"),                   # 5
            (S, "dela Cruz", 1),                                                         # 6
            (S, "Police"),                                                               # 7
            (C, "a security guard had told investigators that the building's sprinkler "
                "system had been switched off for repairs since May"),                   # 8
            (S, "a security guard"),                                                     # 9 nested source
            (C, "the building's sprinkler system had been switched off for repairs since May"),  # 10 nested claim
            (S, "The factory's owner, Goldthread Apparel Corp."),                       # 11
            (D, "denied that any exit had been locked"),                                 # 12
            (C, "Our building passed a fire safety inspection in January and we are "
                "cooperating fully with the authorities"),                               # 13
            (S, "company spokesman Paolo Reyes"),                                        # 14
            (C, "the company had ignored two earlier safety notices from the city government"),  # 15 unattributed
            (S, "Labour groups"),                                                        # 16
            (C, "hundreds of small factories in the region operate without valid permits"),  # 17
            (S, "They"),                                                                 # 18
            (C, "the government must publish inspection records for every workplace"),  # 19
        ],
        links=[
            ("said_by", 1, 2), ("said_by", 4, 3), ("said_by", 5, 6),
            ("said_by", 8, 7), ("said_by", 10, 9),
            ("said_by", 12, 11), ("denies", 12, 4),
            ("said_by", 13, 14), ("said_by", 17, 16), ("said_by", 19, 18),
        ],
    ),
    "en/data-breach.txt": dict(
        spans=[
            (C, "Personal data belonging to about 2.4 million customers of ride-hailing "
                "firm Zoomly was stolen in a cyberattack last month"),                   # 1
            (S, "Singapore's data protection regulator"),                                # 2
            (S, "A hacker group calling itself NightLedger"),                            # 3
            (C, "it had also obtained the bank account details of more than 80,000 drivers"),  # 4
            (S, "Zoomly", 1),                                                            # 5 Zoomly rejected
            (D, "rejected the group's claim"),                                           # 6
            (S, "Chief executive Mei Ling Tan"),                                         # 7
            (C, "no financial information was stored on the affected servers"),         # 8
            (S, "She"),                                                                  # 9
            (C, "the company had reset passwords for all affected accounts and had "
                "reported the attack to police within 24 hours"),                        # 10
            (S, "Local media"),                                                          # 11
            (C, "Zoomly had paid a ransom of $1 million in cryptocurrency to the attackers"),  # 12
            (S, "Tan", 1),                                                               # 13 Tan dismissed
            (D, "dismissed those reports"),                                              # 14
            (C, "Let me be clear: we did not pay, and we will not pay"),                # 15
            (S, "she"),                                                                  # 16
            (S, "Cybersecurity experts"),                                                # 17
            (C, "the delay in informing customers was worrying"),                       # 18
            (C, "It took the company more than two weeks to tell people their data was out there"),  # 19
            (S, "Farid Aziz, a researcher at the Temasek Cyber Institute"),             # 20
            (S, "The regulator"),                                                        # 21
            (C, "it will decide on penalties by the end of the year"),                  # 22
        ],
        links=[
            ("said_by", 1, 2), ("said_by", 4, 3),
            ("said_by", 6, 5), ("denies", 6, 4),
            ("said_by", 8, 7), ("said_by", 10, 9), ("said_by", 12, 11),
            ("said_by", 14, 13), ("denies", 14, 12),
            ("said_by", 15, 16), ("said_by", 18, 17), ("said_by", 19, 20),
            ("said_by", 22, 21),
        ],
    ),
    "en/swimmer-doping.txt": dict(
        spans=[
            (C, "Olympic swimmer Kate Morrow tested positive for a banned diuretic at a "
                "competition in Brisbane last month"),                                   # 1
            (S, "the country’s anti-doping agency"),                                     # 2
            (S, "The agency"),                                                           # 3
            (C, "Morrow had also missed two out-of-competition tests earlier this year"),  # 4
            (S, "Morrow’s lawyer, Daniel Price"),                                        # 5
            (D, "denied that his client had missed any test"),                           # 6
            (C, "she would ask for her B sample to be analysed"),                       # 7
            (C, "Kate has never taken a shortcut in her life, and she is devastated"),  # 8
            (S, "Price", 1),                                                             # 9 Price said
            (S, "He"),                                                                   # 10
            (C, "a contaminated supplement was the most likely explanation for the result"),  # 11
            (S, "Price", 2),                                                             # 12 Price also accused
            (C, "the agency of leaking the result to journalists before his client had "
                "been informed"),                                                        # 13
            (S, "A spokesman for the agency"),                                           # 14
            (D, "rejected the accusation"),                                              # 15
            (S, "The national swimming federation"),                                     # 16
            (C, "We will support Kate’s right to a fair hearing while respecting the process"),  # 17
            (C, "The sample was collected on Oct. 14"),                                  # 18
            (S, "two people familiar with the case"),                                    # 19
        ],
        links=[
            ("said_by", 1, 2), ("said_by", 4, 3),
            ("said_by", 6, 5), ("denies", 6, 4), ("said_by", 7, 5),
            ("said_by", 8, 9), ("said_by", 11, 10), ("said_by", 13, 12),
            ("said_by", 15, 14), ("denies", 15, 13),
            ("said_by", 17, 16), ("said_by", 18, 19),
        ],
    ),
}

LINK_TYPES = {"said_by": ({C, D}, {S}), "denies": ({D}, {C})}
EDGE_JUNK = set(" \t\n\r,.;:\"“”‘’'")


def ron_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nth_find(text, quote, n):
    pos = -1
    for _ in range(n + 1):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return -1
    return pos


def build(rel, ann, show=False):
    path = os.path.join(HERE, rel)
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    errors = []
    spans = []  # (num, label, start, end, quote)
    for num, entry in enumerate(ann["spans"], 1):
        label, quote = entry[0], entry[1]
        count = text.count(quote)
        if len(entry) == 3:
            n = entry[2]
            if n >= count:
                errors.append(f"{rel} span {num}: occurrence {n} of {quote!r} but only {count}")
                continue
        else:
            n = 0
            if count != 1:
                errors.append(f"{rel} span {num}: {quote!r} occurs {count} times; give an index")
                continue
        start = nth_find(text, quote, n)
        end = start + len(quote)
        assert text[start:end] == quote
        if quote[0] in EDGE_JUNK or quote[-1] in EDGE_JUNK and not quote.endswith("Corp."):
            errors.append(f"{rel} span {num}: quote starts/ends with space or punctuation: {quote!r}")
        # spans must be word-aligned (no partial words)
        if start > 0 and text[start - 1].isalnum():
            errors.append(f"{rel} span {num}: starts inside a word: {quote!r}")
        if end < len(text) and text[end].isalnum():
            errors.append(f"{rel} span {num}: ends inside a word: {quote!r}")
        spans.append((num, label, start, end, quote))
        if show:
            print(f"  {num:2} {label:6} [{start}:{end}] …{text[max(0,start-25):start]!r} "
                  f"<<{quote}>> {text[end:end+20]!r}…")
    by_num = {s[0]: s for s in spans}
    seen = set()
    for kind, a, b in ann["links"]:
        if (kind, a, b) in seen:
            errors.append(f"{rel}: duplicate link {kind} {a}->{b}")
        seen.add((kind, a, b))
        if a not in by_num or b not in by_num:
            errors.append(f"{rel}: link {kind} {a}->{b} to unknown span")
            continue
        froms, tos = LINK_TYPES[kind]
        if by_num[a][1] not in froms or by_num[b][1] not in tos:
            errors.append(f"{rel}: link {kind} {a}->{b} joins {by_num[a][1]}->{by_num[b][1]}")
    # sanity: every source is used, every denial has a source and denies something
    for num, label, *_ in spans:
        if label == S and not any(k == "said_by" and b == num for k, _, b in ann["links"]):
            errors.append(f"{rel}: source {num} has no said_by pointing to it")
        if label == D and not any(k == "denies" and a == num for k, a, _ in ann["links"]):
            errors.append(f"{rel}: denial {num} denies nothing")
    if errors:
        return None, errors

    ordered = sorted(spans, key=lambda s: (s[2], -s[3], s[0]))
    new_id = {s[0]: i for i, s in enumerate(ordered, 1)}
    links = sorted(((kind, new_id[a], new_id[b]) for kind, a, b in ann["links"]),
                   key=lambda l: (l[1], 0 if l[0] == "said_by" else 1, l[2]))
    out = ["(", "    version: 1,", f"    document: (path: {ron_str(os.path.basename(rel))}),",
           "    spans: ["]
    for s in ordered:
        out.append(f"        (id: {new_id[s[0]]}, label: {ron_str(s[1])}, start: {s[2]}, "
                   f"end: {s[3]}, text: {ron_str(s[4])}, "
                   f"origin: Human(annotator: {ron_str(ANNOTATOR)})),")
    out.append("    ],")
    out.append("    links: [")
    for i, (kind, a, b) in enumerate(links, 1):
        out.append(f"        (id: {i}, kind: {ron_str(kind)}, from: {a}, to: {b}),")
    out += ["    ],", ")", ""]
    ron_path = path[: -len(".txt")] + ".tandai.ron"
    with open(ron_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))
    counts = {lab: sum(1 for s in spans if s[1] == lab) for lab in (C, S, D)}
    lk = {k: sum(1 for l in links if l[0] == k) for k in LINK_TYPES}
    return (rel, len(text.split()), counts, lk), []


def main():
    show = "--show" in sys.argv
    all_errors = []
    rows = []
    for rel, ann in STORIES.items():
        if show:
            print(rel)
        row, errs = build(rel, ann, show)
        all_errors += errs
        if row:
            rows.append(row)
    for e in all_errors:
        print("ERROR:", e, file=sys.stderr)
    if all_errors:
        sys.exit(1)
    print(f"{'file':28} words claim source denial spans said_by denies links")
    for lang in ("id", "en"):
        tot = [0] * 8
        for rel, words, c, lk in rows:
            if not rel.startswith(lang + "/"):
                continue
            vals = [words, c[C], c[S], c[D], sum(c.values()), lk["said_by"], lk["denies"],
                    sum(lk.values())]
            tot = [x + y for x, y in zip(tot, vals)]
            print(f"{rel:28} " + " ".join(f"{v:>5}" for v in vals))
        print(f"{'TOTAL ' + lang:28} " + " ".join(f"{v:>5}" for v in tot))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Seeds corpus/<target> with windows of the saved pages and small export zips, then:
  cargo +nightly fuzz run -s address <grid|film|members|export|diary> corpus/<target> -- -max_total_time=100 -max_len=16384
"""
import os, zipfile, io, shutil
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, 'corpus')
fx = os.path.join(here, '..', '..', '..', 'shared', 'fixtures', 'letterboxd')
for t in ['grid','film','members','export','diary']:
    os.makedirs(f'{root}/{t}', exist_ok=True)
def cut(src, dst, limit=16384):
    data = open(src,'rb').read()
    # a window around the interesting markup keeps executions fast
    open(dst,'wb').write(data[:limit])
def window(src, dst, marker, size=12000):
    data = open(src,'rb').read(); at = max(data.find(marker.encode()) - 200, 0)
    open(dst,'wb').write(data[at:at+size])
window(f'{fx}/current/user_samtestacct_films_page1.html', f'{root}/grid/current', 'class="griditem')
window(f'{fx}/current/user_samtestacct_films_page1.html', f'{root}/grid/current_pagination', 'class="pagination', 2000)
window(f'{fx}/legacy/jlcordeiro_watched_7.html', f'{root}/grid/legacy', 'poster-container')
window(f'{fx}/legacy/jlcordeiro_watched_7.html', f'{root}/grid/legacy_pagination', 'class="pagination', 2000)
window(f'{fx}/current/user_samtestacct_watchlist_page1.html', f'{root}/grid/watchlist', 'class="griditem')
window(f'{fx}/current/film_the-zone-of-interest.html', f'{root}/film/jsonld', 'CDATA', 9000)
window(f'{fx}/current/film_the-zone-of-interest.html', f'{root}/film/footer', 'text-footer', 3000)
window(f'{fx}/current/film_the-zone-of-interest.html', f'{root}/film/tabs', 'id="tab-details"', 6000)
window(f'{fx}/legacy/film_when-i-rise.html', f'{root}/film/legacy_jsonld', 'CDATA', 2000)
window(f'{fx}/current/film_the-zone-of-interest_no-jsonld.html', f'{root}/film/average', 'average-rating', 1500)
window(f'{fx}/current/members_popular_this_week_page1.html', f'{root}/members/table', 'member-table', 12000)
# No saved diary page exists; the parser's own hand-made page (both layouts' markup) seeds it.
cut(os.path.join(here, '..', 'tests', 'data', 'diary_page.html'), f'{root}/diary/hand_made')
window(f'{fx}/current/members_popular_this_week_page1.html', f'{root}/members/pagination', 'class="pagination', 1500)
R = "Date,Name,Year,Letterboxd URI,Rating\r\n2024-01-02,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/1Sxk,4.5\r\n2024-01-04,Am\u00e9lie,2001,https://letterboxd.com/film/amelie/,3.5\r\n"
D = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\r\n2024-06-01,Heat,1995,https://boxd.it/aaa2,5,Yes,\"a, b\",2024-05-31\r\n"
W = "Date,Name,Year,Letterboxd URI\r\n2024-03-01,Gozu,2003,https://boxd.it/1RTa\r\n"
P = "Date Joined,Username,Given Name\r\n2019-01-01,AnnExample,Ann\r\n"
for method, name in [(zipfile.ZIP_DEFLATED,'zip_deflated'),(zipfile.ZIP_STORED,'zip_stored')]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf,'w',method) as z:
        z.writestr('ratings.csv', '\ufeff'+R); z.writestr('diary.csv', D); z.writestr('watchlist.csv', W)
        z.writestr('likes/films.csv', W); z.writestr('profile.csv', P); z.writestr('lists/x.csv', 'x')
    open(f'{root}/export/{name}','wb').write(buf.getvalue())
open(f'{root}/export/ratings_csv','wb').write(R.encode())
open(f'{root}/export/diary_csv','wb').write(D.encode())
print('ok')

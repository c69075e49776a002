// A few hundred of the passwords that top every published breach list (SecLists, NCSC's
// "100k most common", yearly vendor round-ups). Those shorter than the 10-character minimum are
// refused anyway; they are kept so the list stays recognisable and still guards if the minimum
// ever changes. Compared without regard to case.
const LIST = `
123456 123456789 12345678 12345 1234567 1234567890 123123 111111 000000 654321 666666 121212 112233
123321 696969 7777777 987654321 555555 888888 11111111 0987654321 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y
1qaz2wsx 1qazxsw2 zaq12wsx zaq1zaq1 qwerty qwerty123 qwertyuiop qwerty1234 qwertyuiop123 qwerty12345
asdfghjkl asdfghjkl1 zxcvbnm zxcvbnm123 qazwsxedc qazwsxedcrfv 1234qwer qwer1234 asdf1234 abc123
abcd1234 abc12345 abcdefg abcdefgh abcdefghij a1b2c3d4 a1b2c3d4e5 aa123456 password password1
password12 password123 password1234 password12345 password! password1! passw0rd p@ssw0rd p@ssword
p@ssword1 p@ssw0rd123 pa55word pa$$word passpass passwordpassword mypassword mypassword1
mypassword123 newpassword newpassword1 changeme changeme123 changeme1 letmein letmein1 letmein123
letmeinnow welcome welcome1 welcome123 welcome2024 welcome2025 welcome2026 iloveyou iloveyou1
iloveyou123 iloveyou2 iloveyou! loveyou lovely loveme sunshine sunshine1 sunshine123 princess
princess1 princess123 monkey monkey123 dragon dragon123 football football1 football123 baseball
baseball1 basketball basketball1 soccer soccer123 hockey hockey123 superman superman123 batman
batman123 spiderman spiderman1 starwars starwars1 trustno1 trustnoone whatever whatever1 freedom
freedom1 master master123 masterkey shadow shadow123 michael michael1 jennifer jordan23 jordan123
hunter hunter2 hunter123 ranger ranger123 buster killer charlie charlie123 thomas thomas123
robert robert123 daniel daniel123 jessica jessica1 ashley ashley123 nicole andrew andrew123
michelle michelle1 matthew matthew1 anthony pepper ginger summer summer123 summer2024 summer2025
winter winter123 winter2024 winter2025 autumn spring2024 spring2025 chocolate chocolate1 cookie
cookie123 cheese computer computer1 computer123 internet internet1 samsung samsung123 google
google123 facebook facebook1 facebook123 linkedin linkedin1 instagram instagram1 twitter youtube
wechat wechat123 weixin weixin123 qq123456 qq123456789 tencent tencent123 alibaba taobao
taobao123 woaini woaini1314 woaini123 woaini520 5201314 1314520 a5201314 520520 521521 147258369
1472583690 159357 159753 159753456 741852963 789456123 7894561230 963852741 147852369 123654789
123456789a 123456789q 12345678910 1234567891 12345678901 123456789abc 1234567890a 1234567890q
1234512345 1122334455 1111111111 0000000000 9999999999 2222222222 1212121212 1231231231
123123123 111222333 123qwe 123qweasd 123qweasdzxc qweasd qweasdzxc qweasdzxc123 qwe123
qwe123456 asd123 asd123456 zxc123 zxc123456 zxcvbnm1 !qaz2wsx !qaz@wsx 1q2w3e 1q2w3e4r5t6y7u
qwertyu qwertyui asdfgh asdfghjk zxcvbn q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 1a2b3c4d 1a2b3c4d5e
administrator admin admin123 admin1234 admin12345 administrator1 root root123 toor rootroot
test test123 test1234 testtest testing testing123 guest guest123 user user123 default
default123 secret secret123 secret1234 supersecret topsecret access access123 login login123
login1234 pass pass123 pass1234 pass12345 master1234 system system123 server server123
database oracle oracle123 mysql postgres ubuntu linux windows windows10 windows11 microsoft
apple apple123 iphone iphone123 android android123 blink182 nirvana metallica slipknot
liverpool liverpool1 arsenal arsenal123 chelsea chelsea1 manchester manutd barcelona
realmadrid juventus ronaldo ronaldo7 messi messi10 pokemon pokemon123 minecraft minecraft123
fortnite roblox roblox123 zelda naruto naruto123 dragonball onepiece sasuke pikachu
harrypotter hogwarts gandalf mustang corvette ferrari porsche yamaha harley mercedes
flower flowers butterfly butterfly1 rainbow rainbow123 angel angel123 angels beautiful
babygirl babygirl1 sweetheart sweetie blessed blessed1 jesus jesus123 jesuschrist godisgood
christ heaven faith hello hello123 hello1234 helloworld hello12345 goodbye goodluck
happiness happy123 happydays qwerty1 asdf qazwsx qazwsx123 lovelove loveyou123 baby123
iloveu iloveyou12 ihateyou fuckyou fuckyou1 fuckoff asshole bitch123 sexy123 sexylady
pussycat tigger tigger123 snoopy garfield scooby scoobydoo mickey mickeymouse minnie
bubbles peanut peanut123 pumpkin banana banana123 orange strawberry blueberry cherry
purple yellow silver golden diamond diamond1 crystal platinum phoenix phoenix1 thunder
lightning warrior warrior1 knight ninja ninja123 samurai legend legend123 champion
champion1 victory winner winner123 america america1 canada london london123 paris
newyork california texas florida chicago boston december november october september
january february august july june april march monday friday sunday saturday
qwerty123456 qwertyqwerty asdfasdf asdfasdfasdf zxczxc zxczxczxc abcabc abcabc123
aaaaaaaaaa abcdefghijk abcdef123 abcdefg123 letmein12 passw0rd1 passw0rd123 p4ssw0rd
p4ssword pa55w0rd passwort passwort1 motdepasse contrasena contraseña senha 123mudar
parola password2 password3 password7 password01 password2024 password2025 password2026
qwerty2024 qwerty2025 iloveyou2024 football2024 liverpool123 1234abcd abcd12345
correcthorsebatterystaple correcthorse trustme12 whatever123 nothing nothing1 someone
mustang1 mustang123 cowboys steelers eagles yankees redsox lakers packers broncos
`;

const COMMON = new Set(LIST.split(/\s+/).filter(Boolean));

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}

export const COMMON_PASSWORD_COUNT = COMMON.size;
